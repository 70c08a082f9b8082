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
const signers = new Map<string, TSign>();
const verifiers = new Map<string, TVerify>();

function signerFor(secret: string) {
  let signer = signers.get(secret);
  if (!signer) signers.set(secret, (signer = createSigner({ key: secret, algorithm: 'HS256', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE }) as TSign));
  return signer;
}

function verifierFor(secret: string) {
  let verifier = verifiers.get(secret);
  if (!verifier) {
    verifiers.set(secret, (verifier = createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: TOKEN_ISSUER, allowedAud: TOKEN_AUDIENCE, requiredClaims: ['exp', 'sub'] }) as TVerify));
  }
  return verifier;
}

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
let internalSigner: { secret: string; sign: TSign } | null = null;
let internalVerifier: { secret: string; verify: TVerify } | null = null;

export function signInternalToken(secret: string): string {
  if (internalSigner?.secret !== secret) internalSigner = { secret, sign: createSigner({ key: secret, algorithm: 'HS256', iss: TOKEN_ISSUER, aud: INTERNAL_AUDIENCE, expiresIn: 60_000 }) as TSign };
  return internalSigner.sign({ sub: 'console' });
}

export function verifyInternalToken(token: string, secret: string): boolean {
  if (internalVerifier?.secret !== secret) {
    internalVerifier = { secret, verify: createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: TOKEN_ISSUER, allowedAud: INTERNAL_AUDIENCE, requiredClaims: ['exp'] }) as TVerify };
  }
  try {
    internalVerifier.verify(token);
    return true;
  } catch {
    return false;
  }
}
