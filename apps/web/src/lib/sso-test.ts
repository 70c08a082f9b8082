import 'server-only';
import { cookies } from 'next/headers';
import { env } from '../env';

/**
 * "Test connection" of an identity provider: the admin's browser runs a real sign-in through it, marked by a
 * short-lived cookie naming the provider; its answer is verified by the services (`sso.testSignIn`) instead of
 * starting a session, and the result is shown on TEST_PATH. The admin's own session is left as it was.
 */
export const TEST_PATH = '/settings/identity-providers/test';
const TEST_COOKIE = 'dharma_sso_test';
const RESULT_COOKIE = 'dharma_sso_test_result';
const options = (maxAge: number) => ({ httpOnly: true, sameSite: 'lax' as const, path: '/', secure: env.AUTH_COOKIE_SECURE, maxAge });

export async function markTest(idpId: string) {
  (await cookies()).set(TEST_COOKIE, idpId, options(600));
}

export async function isTestOf(idpId: string): Promise<boolean> {
  return (await cookies()).get(TEST_COOKIE)?.value === idpId;
}

export interface TTestResult {
  ok: boolean;
  provider: string;
  identity: { subject: string; email: string; name: string; groups: string[] } | null;
  roles: string[];
  reason: string | null;
  message: string | null;
}

export async function saveTestResult(result: TTestResult) {
  const jar = await cookies();
  jar.set(TEST_COOKIE, '', options(0));
  jar.set(RESULT_COOKIE, Buffer.from(JSON.stringify(result)).toString('base64url'), options(300));
}

export async function readTestResult(): Promise<TTestResult | null> {
  const raw = (await cookies()).get(RESULT_COOKIE)?.value;
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString()) as TTestResult;
  } catch {
    return null;
  }
}
