/**
 * The committed development/test key pairs (see ../keys/README.md: never for production).
 *
 * `idp` signs everything the dev IdP issues (SAML assertions/responses, redirect-binding signatures, OIDC ID
 * tokens); `other` is an unrelated pair for negative tests ("signed by another key").
 */
import { createHash, createPrivateKey, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KeyPair {
  /** PKCS#8 private key, PEM. */
  key: string;
  /** Self-signed X.509 certificate, PEM including the BEGIN/END lines. */
  cert: string;
}

export interface DevKeys {
  idp: KeyPair;
  other: KeyPair;
}

let cached: DevKeys | undefined;

function read(name: string): string {
  return readFileSync(new URL(`../keys/${name}`, import.meta.url), 'utf8');
}

/** The dev key pairs, read once from `packages/dev-idp/keys`. */
export function devKeys(): DevKeys {
  cached ??= {
    idp: { key: read('idp.key'), cert: read('idp.crt') },
    other: { key: read('other.key'), cert: read('other.crt') },
  };
  return cached;
}

/** The base64 body of a PEM (no BEGIN/END lines, no whitespace), as SAML metadata and KeyInfo want it. */
export function certBody(pem: string): string {
  return pem
    .replace(/-----BEGIN [^-]+-----/g, '')
    .replace(/-----END [^-]+-----/g, '')
    .replace(/\s+/g, '');
}

/**
 * A private key PEM as a JWK for oidc-provider's `jwks` (RS256 signing). `kid` is stable for a given key, so
 * relying parties that cached the JWKS keep working across restarts.
 */
export function privateJwk(keyPem: string, certPem?: string): JsonWebKey & { kid: string; alg: string; use: string } {
  const jwk = createPrivateKey(keyPem).export({ format: 'jwk' });
  // kid = the RFC 7638 JWK thumbprint (members e, kty, n in lexicographic order): stable for a given key.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return {
    ...jwk,
    kid,
    alg: 'RS256',
    use: 'sig',
    ...(certPem ? { x5c: [certBody(certPem)] } : {}),
  };
}
