import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { SsoRefusal, stringList, type TAssertedIdentity } from './identity';
import type { TOidcConfig } from './config';

/** The provider could not be reached (discovery or its keys): the sign-in is retried, not refused. */
export class IdpUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdpUnavailable';
  }
}

interface TDiscovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

const DISCOVERY_TTL_MS = 10 * 60_000;
const discoveries = new Map<string, { at: number; doc: TDiscovery; jwks: ReturnType<typeof createRemoteJWKSet> }>();

/** The provider's discovery document and key set, cached for ten minutes per issuer. */
export async function discover(issuer: string, fetchTimeoutMs = 5000) {
  const hit = discoveries.get(issuer);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit;
  let doc: TDiscovery;
  try {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(fetchTimeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = (await res.json()) as TDiscovery;
  } catch (error) {
    throw new IdpUnavailable(`the identity provider ${issuer} could not be reached (${error instanceof Error ? error.message : String(error)})`);
  }
  if (doc.issuer !== issuer) throw new SsoRefusal('issuer', `the provider's discovery document names issuer ${doc.issuer}, not ${issuer}`);
  const entry = { at: Date.now(), doc, jwks: createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: fetchTimeoutMs }) };
  discoveries.set(issuer, entry);
  return entry;
}

/**
 * Verifies an ID token the console received from this provider: signature by a key of its JWKS, issuer, audience =
 * this provider's client id (and `azp`, when present), expiry. State, nonce and PKCE were checked by Auth.js, which
 * made the request; the services check the token itself so they trust no claim they did not verify.
 */
export async function verifyIdToken(cfg: TOidcConfig, idToken: string): Promise<TAssertedIdentity> {
  const { jwks } = await discover(cfg.issuer);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, jwks, { issuer: cfg.issuer, audience: cfg.clientId, clockTolerance: 60 }));
  } catch (error) {
    if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) throw new IdpUnavailable(`the identity provider's keys could not be fetched (${error.message})`);
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') throw new SsoRefusal('audience', `the ID token was issued to another client, not ${cfg.clientId}`);
    if (error instanceof errors.JWTExpired) throw new SsoRefusal('expired', 'the ID token has expired');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') throw new SsoRefusal('issuer', `the ID token comes from another issuer, not ${cfg.issuer}`);
    throw new SsoRefusal('signature', `the ID token's signature or claims are invalid (${error instanceof Error ? error.message : String(error)})`);
  }
  if (payload.azp !== undefined && payload.azp !== cfg.clientId) throw new SsoRefusal('audience', `the ID token was issued to another client (${String(payload.azp)})`);
  if (payload.email_verified === false) throw new SsoRefusal('email_unverified', 'the identity provider says this email address is not verified');
  const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : '';
  return {
    subject: String(payload.sub ?? ''),
    email,
    name: typeof payload.name === 'string' && payload.name ? payload.name : email,
    groups: stringList(payload[cfg.groupsClaim]),
  };
}
