import 'server-only';
import { cookies } from 'next/headers';
import { env } from '../env';
import { SESSION_COOKIE } from './session-cookie';

export async function readToken(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/** Only callable from a Server Action or Route Handler (cookies cannot be set while rendering). */
export async function writeToken(token: string, expiresAt: string): Promise<void> {
  const maxAge = Math.max(1, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure: env.AUTH_COOKIE_SECURE, maxAge });
}

export async function clearToken(): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', secure: env.AUTH_COOKIE_SECURE, maxAge: 0 });
}
