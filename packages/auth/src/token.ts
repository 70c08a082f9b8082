import { createSigner, createVerifier, TokenError as JwtError } from 'fast-jwt';
import { z } from 'zod';

export const TOKEN_ISSUER = 'iac-dharma';
export const TOKEN_AUDIENCE = 'dharma-services';

/**
 * What a verified access token proves about its bearer: who they are and in which tenant. Not what they may do:
 * roles and permissions are read per request from the database (`access.ts`), so a change takes effect at once.
 */
export const ZAccessClaims = z.object({
  sub: z.uuid(),
  tid: z.uuid(),
  email: z.string(),
  name: z.string(),
  exp: z.number(),
});
export type TAccessClaims = z.infer<typeof ZAccessClaims>;

export class TokenError extends Error {
  constructor(readonly reason: 'missing' | 'malformed' | 'expired' | 'invalid') {
    super(`access token ${reason}`);
    this.name = 'TokenError';
  }
}

// fast-jwt signs and verifies HS256 synchronously with node:crypto's HMAC, about 25 and 15 µs a call here against
// about 150 µs for jose's WebCrypto path; sign-in is up to a fifth of every load mix. One signer and one verifier
// per secret (a process has one), built once: building them parses and validates the options.
type TSign = (payload: Record<string, unknown>) => string;
type TVerify = (token: string) => unknown;
const signers = new Map<string, Map<string, TSign>>();
const verifiers = new Map<string, Map<string, TVerify>>();

/** The one built for this audience and secret, building it once. */
function once<T>(byAudience: Map<string, Map<string, T>>, aud: string, secret: string, build: () => T): T {
  let bySecret = byAudience.get(aud);
  if (!bySecret) byAudience.set(aud, (bySecret = new Map()));
  let made = bySecret.get(secret);
  if (!made) bySecret.set(secret, (made = build()));
  return made;
}

const signerFor = (secret: string, aud = TOKEN_AUDIENCE) =>
  once(signers, aud, secret, () => createSigner({ key: secret, algorithm: 'HS256', iss: TOKEN_ISSUER, aud }) as TSign);

const verifierFor = (secret: string, aud = TOKEN_AUDIENCE) =>
  once(verifiers, aud, secret, () => createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: TOKEN_ISSUER, allowedAud: aud, requiredClaims: ['exp', 'sub'] }) as TVerify);

/** Signs an HS256 access token. Short-lived by default: SSO sessions renew it, scripts mint a new one. */
export async function signAccessToken(claims: Omit<TAccessClaims, 'exp'>, secret: string, ttlSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signerFor(secret)({ sub: claims.sub, tid: claims.tid, email: claims.email, name: claims.name, iat: now, exp: now + ttlSeconds });
}

/** Verifies signature, issuer, audience and expiry; throws TokenError with the reason, never returns unverified claims. */
export async function verifyAccessToken(token: string, secret: string): Promise<TAccessClaims> {
  if (!token) throw new TokenError('missing');
  let payload: unknown;
  try {
    payload = verifierFor(secret)(token);
  } catch (error) {
    const code = error instanceof JwtError ? error.code : undefined;
    if (code === JwtError.codes.expired) throw new TokenError('expired');
    if (code === JwtError.codes.malformed || code === JwtError.codes.invalidType || code === JwtError.codes.invalidPayload) throw new TokenError('malformed');
    throw new TokenError('invalid');
  }
  const parsed = ZAccessClaims.safeParse(payload);
  if (!parsed.success) throw new TokenError('malformed');
  return parsed.data;
}

/**
 * A one-minute token by which the console's server proves itself to the services, for what only it may ask: an
 * OIDC provider's client secret (Auth.js exchanges the code), a SAML logout request for the session it ends. Another
 * audience than access tokens, so neither can stand in for the other.
 */
export const INTERNAL_AUDIENCE = 'dharma-internal';

export function signInternalToken(secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signerFor(secret, INTERNAL_AUDIENCE)({ sub: 'console', iat: now, exp: now + 60 });
}

export function verifyInternalToken(token: string, secret: string): boolean {
  try {
    verifierFor(secret, INTERNAL_AUDIENCE)(token);
    return true;
  } catch {
    return false;
  }
}
