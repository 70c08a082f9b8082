import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ZRole } from './rbac';

export const TOKEN_ISSUER = 'iac-dharma';
export const TOKEN_AUDIENCE = 'dharma-services';

/** What a verified access token proves about its bearer. */
export const ZAccessClaims = z.object({
  sub: z.uuid(),
  tid: z.uuid(),
  email: z.string(),
  name: z.string(),
  roles: z.array(ZRole),
  exp: z.number(),
});
export type TAccessClaims = z.infer<typeof ZAccessClaims>;

export class TokenError extends Error {
  constructor(readonly reason: 'missing' | 'malformed' | 'expired' | 'invalid') {
    super(`access token ${reason}`);
    this.name = 'TokenError';
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs an HS256 access token. Short-lived by default: SSO sessions renew it, scripts mint a new one. */
export async function signAccessToken(
  claims: Omit<TAccessClaims, 'exp'>,
  secret: string,
  ttlSeconds = 3600,
): Promise<string> {
  return new SignJWT({ tid: claims.tid, email: claims.email, name: claims.name, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(secret));
}

/** Verifies signature, issuer, audience and expiry; throws TokenError with the reason, never returns unverified claims. */
export async function verifyAccessToken(token: string, secret: string): Promise<TAccessClaims> {
  if (!token) throw new TokenError('missing');
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['HS256'] });
    const parsed = ZAccessClaims.safeParse(payload);
    if (!parsed.success) throw new TokenError('malformed');
    return parsed.data;
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new TokenError('expired');
    if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) throw new TokenError('malformed');
    throw new TokenError('invalid');
  }
}
