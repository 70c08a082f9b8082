import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { SsoRefusal, stringList, type TAssertedIdentity } from './identity';
import type { TSamlConfig } from './config';

/** The console's service-provider endpoints for one identity provider: paste them into the IdP. */
export interface TSpEndpoints {
  entityId: string;
  metadataUrl: string;
  acsUrl: string;
  sloUrl: string;
}

/** One provider, one SP: its entity id is its metadata URL, so another provider's assertions name another audience. */
export function spEndpoints(consoleUrl: string, idpId: string): TSpEndpoints {
  const base = `${consoleUrl.replace(/\/+$/, '')}/api/auth/saml/${idpId}`;
  return { entityId: `${base}/metadata`, metadataUrl: `${base}/metadata`, acsUrl: `${base}/acs`, sloUrl: `${base}/slo` };
}

/** Where the requests this SP sent are remembered (the database, per provider): node-saml's InResponseTo cache. */
export interface TSamlRequestStore {
  save(id: string, kind: 'authn' | 'logout', expiresAt: Date): Promise<void>;
  /** When a request still waiting for its answer was sent, or null (never sent, answered already, or expired). */
  pending(id: string): Promise<Date | null>;
  consume(id: string): Promise<void>;
  /** Records an accepted assertion id until it expires; false when it was accepted before (a replay). */
  acceptAssertion(id: string, expiresAt: Date): Promise<boolean>;
}

export const REQUEST_TTL_MS = 10 * 60_000;
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

function cacheFor(store: TSamlRequestStore, kind: 'authn' | 'logout'): CacheProvider {
  return {
    saveAsync: async (key, value) => {
      await store.save(key, kind, new Date(Date.now() + REQUEST_TTL_MS));
      return { value, createdAt: Date.now() };
    },
    getAsync: async (key) => (await store.pending(key))?.toISOString() ?? null,
    removeAsync: async (key) => {
      if (key) await store.consume(key);
      return key;
    },
  };
}

function samlFor(cfg: TSamlConfig, sp: TSpEndpoints, store: TSamlRequestStore, kind: 'authn' | 'logout') {
  return new SAML({
    entryPoint: cfg.ssoUrl,
    logoutUrl: cfg.sloUrl ?? cfg.ssoUrl,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.sloUrl,
    idpCert: cfg.certificates,
    idpIssuer: cfg.entityId,
    audience: sp.entityId,
    // The assertion must carry the IdP's signature; a signed response around it is accepted but not required.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: cfg.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: cacheFor(store, kind),
    acceptedClockSkewMs: 60_000,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
  });
}

/** The IdP's sign-in URL (HTTP-Redirect binding) with a fresh AuthnRequest, whose id is remembered. */
export async function samlSignInUrl(cfg: TSamlConfig, sp: TSpEndpoints, store: TSamlRequestStore, relayState: string): Promise<string> {
  return samlFor(cfg, sp, store, 'authn').getAuthorizeUrlAsync(relayState, undefined, {});
}

/** Node-saml's reasons, as a person reads them. */
function refusalOf(error: unknown): SsoRefusal {
  const m = error instanceof Error ? error.message : String(error);
  const is = (re: RegExp) => re.test(m);
  if (is(/signature|signed|Cannot obtain assertion/i)) return new SsoRefusal('signature', `the response is not signed by this identity provider's certificate, or was changed after it was signed (${m})`);
  if (is(/audience/i)) return new SsoRefusal('audience', `the assertion is meant for another service provider (${m})`);
  if (is(/not yet valid/i)) return new SsoRefusal('not_yet_valid', `the assertion is not valid yet: check the clocks of the IdP and this server (${m})`);
  if (is(/expired|No valid subject confirmation/i)) return new SsoRefusal('expired', `the assertion has expired (${m})`);
  if (is(/InResponseTo/i)) return new SsoRefusal('in_response_to', `the response answers a sign-in request this console did not send, or one already answered or expired (${m})`);
  if (is(/issuer/i)) return new SsoRefusal('issuer', `the response comes from another identity provider (${m})`);
  if (is(/Responder|Requester|status/i)) return new SsoRefusal('idp_error', `the identity provider refused the sign-in (${m})`);
  return new SsoRefusal('invalid', `the SAML response is invalid (${m})`);
}

function parse(xml: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: () => {}, error: (m: string) => void problems.push(m), fatalError: (m: string) => void problems.push(m) } }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !doc.documentElement) throw new SsoRefusal('invalid', 'the SAML response is not well-formed XML');
  return doc.documentElement;
}

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

export interface TSamlSignIn {
  identity: TAssertedIdentity;
  /** What single logout needs later. */
  session: { nameId: string; nameIdFormat: string | null; sessionIndex: string | null };
}

/**
 * Validates a POSTed SAMLResponse for this provider: the assertion's signature by one of its certificates (node-saml
 * 5.1, which takes the assertion it verified, not one placed beside it), issuer, audience = this SP, validity window,
 * InResponseTo = a request this SP sent to this provider and has not seen answered; then what node-saml leaves to the
 * SP: the signed Recipient and the Destination must be this provider's ACS URL, and the assertion id must not have
 * been accepted before.
 */
export async function samlValidateResponse(cfg: TSamlConfig, sp: TSpEndpoints, store: TSamlRequestStore, samlResponse: string): Promise<TSamlSignIn> {
  let profile: Profile | null;
  try {
    ({ profile } = await samlFor(cfg, sp, store, 'authn').validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    throw refusalOf(error);
  }
  if (!profile) throw new SsoRefusal('invalid', 'the SAML response carries no assertion');

  const assertion = parse(profile.getAssertionXml?.() ?? '');
  const confirmations = Array.from(assertion.getElementsByTagNameNS(SAML_NS, 'SubjectConfirmationData'));
  if (confirmations.length === 0 || confirmations.some((c) => c.getAttribute('Recipient') !== sp.acsUrl)) {
    throw new SsoRefusal('recipient', `the assertion is addressed to another recipient (${confirmations.map((c) => c.getAttribute('Recipient')).join(', ') || 'none'}), not ${sp.acsUrl}`);
  }
  const responseXml = profile.getSamlResponseXml?.();
  const destination = responseXml ? parse(responseXml).getAttribute('Destination') : '';
  if (destination && destination !== sp.acsUrl) throw new SsoRefusal('destination', `the response is addressed to ${destination}, not ${sp.acsUrl}`);

  const assertionId = assertion.getAttribute('ID') ?? '';
  const conditions = assertion.getElementsByTagNameNS(SAML_NS, 'Conditions')[0];
  const until = Date.parse(conditions?.getAttribute('NotOnOrAfter') ?? '') || Date.now() + REQUEST_TTL_MS;
  if (!assertionId || !(await store.acceptAssertion(assertionId, new Date(until + 60_000)))) {
    throw new SsoRefusal('replay', 'this assertion was already used to sign in (a replayed response)');
  }

  const attr = (name: string) => (profile as unknown as Record<string, unknown>)[name] ?? (profile.attributes as Record<string, unknown> | undefined)?.[name];
  const nameId = profile.nameID;
  const email = stringList(attr(cfg.attributes.email))[0] ?? (profile.nameIDFormat === EMAIL_FORMAT ? nameId : '');
  return {
    identity: { subject: nameId, email: email.toLowerCase(), name: stringList(attr(cfg.attributes.name))[0] ?? email, groups: stringList(attr(cfg.attributes.groups)) },
    session: { nameId, nameIdFormat: profile.nameIDFormat ?? null, sessionIndex: profile.sessionIndex ?? null },
  };
}

/** The IdP's single-logout URL with a LogoutRequest for this session, or null when the IdP has no SLO endpoint. */
export async function samlLogoutUrl(cfg: TSamlConfig, sp: TSpEndpoints, store: TSamlRequestStore, session: TSamlSignIn['session'], relayState: string): Promise<string | null> {
  if (!cfg.sloUrl) return null;
  const profile = { issuer: cfg.entityId, nameID: session.nameId, nameIDFormat: session.nameIdFormat ?? EMAIL_FORMAT, sessionIndex: session.sessionIndex ?? undefined } as Profile;
  return samlFor(cfg, sp, store, 'logout').getLogoutUrlAsync(profile, relayState, {});
}

/** Verifies the IdP's LogoutResponse (HTTP-Redirect binding, signed) to a LogoutRequest this SP sent. */
export async function samlValidateLogoutResponse(cfg: TSamlConfig, sp: TSpEndpoints, store: TSamlRequestStore, query: Record<string, string>, rawQuery: string): Promise<void> {
  // node-saml 5.1 accepts a redirect-binding message without any Signature parameter: an unsigned LogoutResponse
  // would end nothing of ours, but it must not count as the IdP's confirmation either.
  if (!query.Signature || !query.SigAlg) throw new SsoRefusal('signature', 'the logout response is not signed');
  try {
    const { loggedOut } = await samlFor(cfg, sp, store, 'logout').validateRedirectAsync(query, rawQuery);
    if (!loggedOut) throw new Error('the identity provider did not confirm the logout');
  } catch (error) {
    throw error instanceof SsoRefusal ? error : refusalOf(error);
  }
}

/**
 * IdP-initiated single logout: the IdP's LogoutRequest (HTTP-Redirect binding), which must carry a valid signature by
 * one of its certificates, to the person it names and the URL of our LogoutResponse (back to the IdP's SLO URL).
 */
export async function samlAnswerLogoutRequest(
  cfg: TSamlConfig,
  sp: TSpEndpoints,
  store: TSamlRequestStore,
  query: Record<string, string>,
  rawQuery: string,
): Promise<{ nameId: string; sessionIndex: string | null; responseUrl: string }> {
  if (!query.Signature || !query.SigAlg) throw new SsoRefusal('signature', 'the logout request is not signed');
  const saml = samlFor(cfg, sp, store, 'logout');
  let profile: Profile | null;
  try {
    ({ profile } = await saml.validateRedirectAsync(query, rawQuery));
  } catch (error) {
    throw refusalOf(error);
  }
  if (!profile?.nameID) throw new SsoRefusal('invalid', 'the logout request names nobody');
  const responseUrl = await saml.getLogoutResponseUrlAsync(profile, query.RelayState ?? '', {}, true);
  return { nameId: profile.nameID, sessionIndex: profile.sessionIndex ?? null, responseUrl };
}

/** This SP's metadata for one provider, to upload into the IdP. */
export function spMetadata(cfg: TSamlConfig, sp: TSpEndpoints, store: TSamlRequestStore): string {
  return samlFor(cfg, sp, store, 'authn').generateServiceProviderMetadata(null, null);
}
