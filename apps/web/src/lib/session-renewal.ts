import { verifyAccessToken } from '@dharma/auth/token';

/**
 * A session update (Auth.js's `update`, which the browser can also call) only ever replaces the services token with
 * a newer one the services signed for the same person and tenant: anything else leaves the session as it was.
 */
export async function renewed<T extends Record<string, unknown>>(token: T, update: unknown, secret: string): Promise<T> {
  const svc = (update as { svc?: unknown } | null)?.svc;
  if (typeof svc !== 'string') return token;
  try {
    const claims = await verifyAccessToken(svc, secret);
    if (claims.sub !== token.sub || claims.tid !== token.tid || claims.exp <= Number(token.svcExp ?? 0)) return token;
    return { ...token, svc, svcExp: claims.exp };
  } catch {
    return token;
  }
}
