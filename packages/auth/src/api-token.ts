import { createHash, randomBytes } from 'node:crypto';

/** API tokens read `dh_` + 43 base64url characters (256 random bits): told apart from a session's JWT at a glance. */
export const API_TOKEN_PREFIX = 'dh_';
const SHAPE = /^dh_[A-Za-z0-9_-]{43}$/;

export const isApiToken = (bearer: string): boolean => bearer.startsWith(API_TOKEN_PREFIX);
export const isWellFormedApiToken = (bearer: string): boolean => SHAPE.test(bearer);

/** What is stored of a token: never the token, only its SHA-256 (a 256-bit random secret needs no slow hash). */
export const hashApiToken = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A new token: the secret (shown once), its display prefix and its hash. */
export function mintApiToken(): { secret: string; prefix: string; hash: string } {
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, 10), hash: hashApiToken(secret) };
}
