/**
 * A real, local SAML 2.0 identity provider on xml-crypto + @xmldom/xmldom, for `npm run dev` and tests.
 *
 * Web browser SSO profile: AuthnRequest by HTTP-Redirect (or HTTP-POST), Response by HTTP-POST with a signed
 * assertion; IdP-initiated SSO; single logout by HTTP-Redirect with a signed LogoutResponse. Everything is in
 * memory. The building blocks (`buildSamlResponse`, `signXml`, `redirectBindingSign`, `idpMetadata`, ...) are
 * exported so tests can craft good and bad messages.
 *
 * References: SAML 2.0 Core (saml-core-2.0-os), Bindings (saml-bindings-2.0-os), Profiles
 * (saml-profiles-2.0-os).
 */
import { createSign, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { autoPostPage, esc, page, sendHtml, userPickerPage } from './html';
import { HttpError, readForm, redirect, urlHasAllowedPrefix } from './http-util';
import { certBody } from './keys';
import { DEV_IDP_USERS, type DevIdpUser } from './users';

// ---------------------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------------------

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export const SAML = {
  statusSuccess: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  statusResponder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  statusAuthnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  nameIdEmail: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  attrNameFormatBasic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  bindingRedirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  bindingPost: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

export const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** Default validity window of an assertion (Conditions NotBefore / NotOnOrAfter). */
const NOT_BEFORE_SKEW_MS = 30_000;
const VALIDITY_MS = 5 * 60_000;
/** How long a pending (shown, not yet answered) sign-in request is kept. */
const PENDING_TTL_MS = 10 * 60_000;
/** Upper bound for an inflated HTTP-Redirect message (a deflate bomb must not exhaust memory). */
const MAX_INFLATED_BYTES = 256 * 1024;

export class SamlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamlError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

/** A SAML ID (xs:ID, must not start with a digit): `_` + 40 hex characters. */
export function samlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** xs:dateTime in UTC, as every SAML timestamp must be. */
function instant(d: Date): string {
  return d.toISOString();
}

/** Escapes text content and attribute values (double-quoted). */
function x(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attr(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${x(value)}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------------------------

export interface BuildSamlResponseOptions {
  /** IdP entity id (saml:Issuer of the Response and the Assertion). */
  issuer: string;
  /** Signing key and certificate, PEM. */
  key: string;
  cert: string;
  /** The SP's assertion consumer service URL (Response/@Destination). */
  destination: string;
  /** The SP entity id (AudienceRestriction/Audience). */
  audience: string;
  /** SubjectConfirmationData/@Recipient; defaults to `destination`. */
  recipient?: string;
  /** The AuthnRequest's ID; omitted for IdP-initiated SSO. */
  inResponseTo?: string;
  nameId: string;
  sessionIndex?: string;
  attributes: Record<string, string | string[]>;
  notBefore?: Date;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  assertionId?: string;
  responseId?: string;
  /** What to sign (default 'assertion'). */
  sign?: 'assertion' | 'response' | 'both' | 'none';
}

/** Builds a SAML 2.0 Response (XML, not base64) with one bearer assertion, signed as asked. */
export function buildSamlResponse(o: BuildSamlResponseOptions): string {
  const now = o.issueInstant ?? new Date();
  const notBefore = o.notBefore ?? new Date(now.getTime() - NOT_BEFORE_SKEW_MS);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + VALIDITY_MS);
  const responseId = o.responseId ?? samlId();
  const assertionId = o.assertionId ?? samlId();
  const sessionIndex = o.sessionIndex ?? samlId();
  const recipient = o.recipient ?? o.destination;

  const attributes = Object.entries(o.attributes)
    .map(([name, value]) => {
      const values = (Array.isArray(value) ? value : [value])
        .map((v) => `<saml:AttributeValue xsi:type="xs:string">${x(v)}</saml:AttributeValue>`)
        .join('');
      return `<saml:Attribute Name="${x(name)}" NameFormat="${SAML.attrNameFormatBasic}">${values}</saml:Attribute>`;
    })
    .join('');

  // Element order follows the schema (saml-schema-assertion-2.0): Issuer, Signature, Subject, Conditions,
  // AuthnStatement, AttributeStatement. The signature is inserted right after Issuer by signXml.
  const assertion =
    `<saml:Assertion xmlns:saml="${NS.assertion}" xmlns:xs="${NS.xs}" xmlns:xsi="${NS.xsi}"` +
    ` ID="${x(assertionId)}" Version="2.0" IssueInstant="${instant(now)}">` +
    `<saml:Issuer>${x(o.issuer)}</saml:Issuer>` +
    `<saml:Subject>` +
    `<saml:NameID Format="${SAML.nameIdEmail}">${x(o.nameId)}</saml:NameID>` +
    // Bearer confirmation (Profiles 4.1.4.2): Recipient = ACS URL, NotOnOrAfter, InResponseTo for SP-initiated
    // SSO, and no NotBefore.
    `<saml:SubjectConfirmation Method="${SAML.bearer}">` +
    `<saml:SubjectConfirmationData${attr('InResponseTo', o.inResponseTo)} NotOnOrAfter="${instant(notOnOrAfter)}" Recipient="${x(recipient)}"/>` +
    `</saml:SubjectConfirmation>` +
    `</saml:Subject>` +
    `<saml:Conditions NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${x(o.audience)}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${instant(now)}" SessionIndex="${x(sessionIndex)}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${SAML.passwordProtectedTransport}</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`;

  let xml =
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}"` +
    ` ID="${x(responseId)}" Version="2.0" IssueInstant="${instant(now)}" Destination="${x(o.destination)}"${attr('InResponseTo', o.inResponseTo)}>` +
    `<saml:Issuer>${x(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${SAML.statusSuccess}"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;

  const sign = o.sign ?? 'assertion';
  // With both, the assertion is signed first so that the response signature covers the assertion's signature.
  if (sign === 'assertion' || sign === 'both') xml = signXml(xml, { key: o.key, cert: o.cert, reference: 'assertion' });
  if (sign === 'response' || sign === 'both') xml = signXml(xml, { key: o.key, cert: o.cert, reference: 'response' });
  return xml;
}

/** An unsigned error Response (Status Responder / AuthnFailed), as IdPs send when the user cancels. */
export function buildSamlErrorResponse(o: {
  issuer: string;
  destination: string;
  inResponseTo?: string;
  message?: string;
}): string {
  return (
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${samlId()}" Version="2.0"` +
    ` IssueInstant="${instant(new Date())}" Destination="${x(o.destination)}"${attr('InResponseTo', o.inResponseTo)}>` +
    `<saml:Issuer>${x(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${SAML.statusResponder}"><samlp:StatusCode Value="${SAML.statusAuthnFailed}"/></samlp:StatusCode>` +
    (o.message ? `<samlp:StatusMessage>${x(o.message)}</samlp:StatusMessage>` : '') +
    `</samlp:Status></samlp:Response>`
  );
}

/** A LogoutResponse (SAML Core 3.7.2): Issuer, Status; Destination and InResponseTo on the root. */
export function buildLogoutResponse(o: {
  issuer: string;
  destination: string;
  inResponseTo: string;
  status?: string;
  id?: string;
  issueInstant?: Date;
}): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${x(o.id ?? samlId())}" Version="2.0"` +
    ` IssueInstant="${instant(o.issueInstant ?? new Date())}" Destination="${x(o.destination)}" InResponseTo="${x(o.inResponseTo)}">` +
    `<saml:Issuer>${x(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${x(o.status ?? SAML.statusSuccess)}"/></samlp:Status>` +
    `</samlp:LogoutResponse>`
  );
}

/**
 * Adds an enveloped XML signature (RSA-SHA256, SHA-256 digest, exclusive c14n, KeyInfo/X509Certificate).
 * `reference: 'assertion'` signs the (first) saml:Assertion, `'response'` the root element. The ds:Signature
 * goes right after the signed element's saml:Issuer, where the schema wants it (Core 2.3.3 and 3.2.1).
 */
export function signXml(xml: string, o: { key: string; cert: string; reference: 'assertion' | 'response' }): string {
  const target =
    o.reference === 'assertion'
      ? `//*[local-name(.)='Assertion' and namespace-uri(.)='${NS.assertion}']`
      : '/*';
  const sig = new SignedXml({
    privateKey: o.key,
    publicCert: o.cert,
    signatureAlgorithm: ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  sig.addReference({ xpath: target, transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: ALG.sha256 });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${target}/*[local-name(.)='Issuer' and namespace-uri(.)='${NS.assertion}']`, action: 'after' },
  });
  return sig.getSignedXml();
}

/** HTTP-POST binding encoding (Bindings 3.5.4): plain base64 of the XML, no deflate. */
export function encodePostResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/**
 * HTTP-Redirect binding (Bindings 3.4.4.1): DEFLATE (raw) + base64 + URL-encode the message, then sign the
 * octets of `SAMLRequest=..[&RelayState=..]&SigAlg=..` exactly as they appear in the query string, and append
 * `&Signature=..`. Returns the query string (without `?`).
 */
export function redirectBindingSign(o: {
  kind: 'SAMLRequest' | 'SAMLResponse';
  xml: string;
  relayState?: string;
  key: string;
}): string {
  const message = deflateRawSync(Buffer.from(o.xml, 'utf8')).toString('base64');
  let signed = `${o.kind}=${encodeURIComponent(message)}`;
  if (o.relayState !== undefined && o.relayState !== '') signed += `&RelayState=${encodeURIComponent(o.relayState)}`;
  signed += `&SigAlg=${encodeURIComponent(ALG.rsaSha256)}`;
  const signature = createSign('RSA-SHA256').update(signed, 'utf8').sign(o.key, 'base64');
  return `${signed}&Signature=${encodeURIComponent(signature)}`;
}

/** Reverses the HTTP-Redirect encoding of a SAMLRequest/SAMLResponse value (already URL-decoded). */
export function inflateRedirectMessage(value: string): string {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(Buffer.from(value, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (err) {
    throw new SamlError(`cannot inflate the message (HTTP-Redirect binding wants raw DEFLATE + base64): ${(err as Error).message}`);
  }
  return inflated.toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------------------------

/** IdP metadata (saml-metadata-2.0-os 2.4.3); element order follows the schema. */
export function idpMetadata(o: { entityId: string; baseUrl: string; cert: string }): string {
  const base = o.baseUrl.replace(/\/+$/, '');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${x(o.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.protocol}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(o.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleLogoutService Binding="${SAML.bindingRedirect}" Location="${x(`${base}/slo`)}"/>` +
    `<md:NameIDFormat>${SAML.nameIdEmail}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${SAML.bindingRedirect}" Location="${x(`${base}/sso`)}"/>` +
    `<md:SingleSignOnService Binding="${SAML.bindingPost}" Location="${x(`${base}/sso`)}"/>` +
    `</md:IDPSSODescriptor>` +
    `</md:EntityDescriptor>\n`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing (safe)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Parses a SAML message. Any parser warning or error is a failure, and DTDs are refused outright (SAML Core
 * and the security considerations forbid them; this also rules out entity expansion). xmldom never fetches
 * external entities.
 */
export function parseSamlXml(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlError('DTDs are not allowed in SAML messages');
  const problems: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: {
      warning: (m: unknown) => problems.push(`warning: ${String(m)}`),
      error: (m: unknown) => problems.push(`error: ${String(m)}`),
      fatalError: (m: unknown) => problems.push(`fatal: ${String(m)}`),
    },
  }).parseFromString(xml, 'text/xml');
  if (problems.length) throw new SamlError(`malformed XML (${problems[0]})`);
  if (!doc?.documentElement) throw new SamlError('malformed XML (no root element)');
  return doc;
}

function childText(parent: Element, ns: string, local: string): string | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) {
      return (n.textContent ?? '').trim();
    }
  }
  return undefined;
}

function childrenText(parent: Element, ns: string, local: string): string[] {
  const out: string[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) {
      out.push((n.textContent ?? '').trim());
    }
  }
  return out;
}

function optionalAttr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? el.getAttribute(name) ?? undefined : undefined;
}

function rootOf(xml: string, local: string): Element {
  const root = parseSamlXml(xml).documentElement;
  if (root.namespaceURI !== NS.protocol || root.localName !== local) {
    throw new SamlError(`expected a samlp:${local}, got ${root.nodeName}`);
  }
  if (root.getAttribute('Version') !== '2.0') throw new SamlError(`${local} Version must be 2.0`);
  return root;
}

export interface ParsedAuthnRequest {
  id: string;
  issuer: string;
  acsUrl?: string;
  destination?: string;
  protocolBinding?: string;
  forceAuthn: boolean;
}

export function parseAuthnRequest(xml: string): ParsedAuthnRequest {
  const root = rootOf(xml, 'AuthnRequest');
  const id = root.getAttribute('ID');
  if (!id) throw new SamlError('AuthnRequest has no ID');
  const issuer = childText(root, NS.assertion, 'Issuer');
  if (!issuer) throw new SamlError('AuthnRequest has no Issuer (the SP entity id)');
  return {
    id,
    issuer,
    acsUrl: optionalAttr(root, 'AssertionConsumerServiceURL'),
    destination: optionalAttr(root, 'Destination'),
    protocolBinding: optionalAttr(root, 'ProtocolBinding'),
    forceAuthn: root.getAttribute('ForceAuthn') === 'true',
  };
}

export interface ParsedLogoutRequest {
  id: string;
  issuer: string;
  nameId: string;
  sessionIndexes: string[];
  destination?: string;
  notOnOrAfter?: string;
}

export function parseLogoutRequest(xml: string): ParsedLogoutRequest {
  const root = rootOf(xml, 'LogoutRequest');
  const id = root.getAttribute('ID');
  if (!id) throw new SamlError('LogoutRequest has no ID');
  const issuer = childText(root, NS.assertion, 'Issuer');
  if (!issuer) throw new SamlError('LogoutRequest has no Issuer');
  const nameId = childText(root, NS.assertion, 'NameID');
  if (!nameId) throw new SamlError('LogoutRequest has no NameID (encrypted NameIDs are not supported)');
  return {
    id,
    issuer,
    nameId,
    sessionIndexes: childrenText(root, NS.protocol, 'SessionIndex'),
    destination: optionalAttr(root, 'Destination'),
    notOnOrAfter: optionalAttr(root, 'NotOnOrAfter'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The IdP
// ---------------------------------------------------------------------------------------------------------------

export interface SamlAttributeNames {
  email: string;
  name: string;
  groups: string;
}

export interface CreateSamlIdpOptions {
  /** IdP entity id, e.g. http://localhost:4600/saml/metadata. */
  entityId: string;
  /** Where the IdP is served, e.g. http://localhost:4600/saml (routes are relative to its path). */
  baseUrl: string;
  key: string;
  cert: string;
  /** ACS and SLO URLs must start with one of these (e.g. http://localhost:3000/). */
  spOriginPrefixes: string[];
  users?: DevIdpUser[];
  attributeNames?: Partial<SamlAttributeNames>;
}

export interface SamlIdp {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

interface PendingRequest {
  acsUrl: string;
  audience: string;
  inResponseTo?: string;
  relayState?: string;
  expiresAt: number;
}

const HEADING = 'Dharma dev SAML IdP';

/**
 * The SP's single logout URL is not carried by a LogoutRequest, and this IdP has no SP metadata. Convention:
 * it is the SP's ACS URL (from its AuthnRequest, or `acs` of IdP-initiated SSO) with the last path segment
 * `acs` replaced by `slo`, e.g. http://localhost:3000/api/auth/saml/<id>/acs -> .../<id>/slo. The IdP remembers
 * it per SP entity id. An ACS URL not ending in `/acs` means no SLO for that SP.
 */
export function sloUrlFromAcs(acsUrl: string): string | undefined {
  const u = new URL(acsUrl);
  if (!/\/acs$/.test(u.pathname)) return undefined;
  u.pathname = u.pathname.replace(/\/acs$/, '/slo');
  u.search = '';
  u.hash = '';
  return u.href;
}

export function createSamlIdp(o: CreateSamlIdpOptions): SamlIdp {
  const users = o.users ?? DEV_IDP_USERS;
  const names: SamlAttributeNames = { email: 'email', name: 'displayName', groups: 'groups', ...o.attributeNames };
  const base = o.baseUrl.replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const ssoUrl = `${base}/sso`;
  const sloUrl = `${base}/slo`;

  const pending = new Map<string, PendingRequest>();
  /** SP entity id -> that SP's SLO URL (see sloUrlFromAcs). */
  const spSloUrls = new Map<string, string>();
  /** `${SP entity id}\n${NameID}` -> session indexes issued to that SP for that person. */
  const sessions = new Map<string, Set<string>>();

  function sweep(): void {
    const now = Date.now();
    for (const [id, p] of pending) if (p.expiresAt <= now) pending.delete(id);
  }

  function acsAllowed(acsUrl: string): boolean {
    return urlHasAllowedPrefix(acsUrl, o.spOriginPrefixes);
  }

  function badRequest(res: ServerResponse, why: string): void {
    sendHtml(
      res,
      400,
      page('SAML request refused', `<h1>${esc(HEADING)}</h1><p class="error" data-testid="idp-error">${esc(why)}</p>`),
    );
  }

  function showPicker(res: ServerResponse, p: Omit<PendingRequest, 'expiresAt'>): void {
    sweep();
    const id = randomBytes(16).toString('hex');
    pending.set(id, { ...p, expiresAt: Date.now() + PENDING_TTL_MS });
    sendHtml(
      res,
      200,
      userPickerPage({
        heading: HEADING,
        intro: `Sign in to ${p.audience} as:`,
        action: `${basePath}/login`,
        users,
        hidden: { pending: id },
        cancel: { name: 'cancel', value: '1', label: 'Cancel (deny access)' },
      }),
    );
  }

  /** SP-initiated SSO: validate the AuthnRequest, then show the picker. */
  function startSso(res: ServerResponse, xml: string, relayState: string | undefined): void {
    let request: ParsedAuthnRequest;
    try {
      request = parseAuthnRequest(xml);
    } catch (err) {
      badRequest(res, `Invalid AuthnRequest: ${(err as Error).message}`);
      return;
    }
    // Bindings 3.4.5.2 / 3.5.5.2: when present, Destination must be where the message was received.
    if (request.destination !== undefined && request.destination !== ssoUrl) {
      badRequest(res, `AuthnRequest Destination ${request.destination} is not this IdP's SSO URL ${ssoUrl}.`);
      return;
    }
    // Responses go back by HTTP-POST only.
    if (request.protocolBinding !== undefined && request.protocolBinding !== SAML.bindingPost) {
      badRequest(res, `Unsupported ProtocolBinding ${request.protocolBinding}: this IdP answers with HTTP-POST only.`);
      return;
    }
    // This IdP has no SP metadata: the AuthnRequest must name its ACS URL, and that URL must belong to an
    // allowed SP origin (otherwise anyone could have assertions posted to a URL of their choosing).
    if (!request.acsUrl) {
      badRequest(res, 'AuthnRequest has no AssertionConsumerServiceURL; this dev IdP has no SP metadata to look it up.');
      return;
    }
    if (!acsAllowed(request.acsUrl)) {
      badRequest(
        res,
        `AssertionConsumerServiceURL ${request.acsUrl} is not under an allowed SP origin (${o.spOriginPrefixes.join(', ')}). Set DEV_IDP_WEB_ORIGINS.`,
      );
      return;
    }
    showPicker(res, { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState });
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const id = form.get('pending') ?? '';
    const p = pending.get(id);
    // Single use: a pending request is answered once.
    pending.delete(id);
    if (!p || p.expiresAt <= Date.now()) {
      badRequest(res, 'This sign-in request has expired or was already answered. Start again from the application.');
      return;
    }
    if (form.get('cancel')) {
      const xml = buildSamlErrorResponse({
        issuer: o.entityId,
        destination: p.acsUrl,
        inResponseTo: p.inResponseTo,
        message: 'The user cancelled the sign-in',
      });
      postToAcs(res, p, xml);
      return;
    }
    const user = users.find((u) => u.email === form.get('email'));
    if (!user) {
      badRequest(res, 'Unknown user.');
      return;
    }
    const sessionIndex = samlId();
    const xml = buildSamlResponse({
      issuer: o.entityId,
      key: o.key,
      cert: o.cert,
      destination: p.acsUrl,
      audience: p.audience,
      inResponseTo: p.inResponseTo,
      nameId: user.email,
      sessionIndex,
      attributes: { [names.email]: user.email, [names.name]: user.name, [names.groups]: user.groups },
      sign: 'assertion',
    });
    const key = `${p.audience}\n${user.email}`;
    const set = sessions.get(key) ?? new Set<string>();
    set.add(sessionIndex);
    sessions.set(key, set);
    const slo = sloUrlFromAcs(p.acsUrl);
    if (slo) spSloUrls.set(p.audience, slo);
    postToAcs(res, p, xml);
  }

  function postToAcs(res: ServerResponse, p: PendingRequest, xml: string): void {
    sendHtml(
      res,
      200,
      autoPostPage({
        title: 'Signing in',
        action: p.acsUrl,
        fields: { SAMLResponse: encodePostResponse(xml), RelayState: p.relayState || undefined },
        button: 'Continue',
        testId: 'idp-continue',
      }),
    );
  }

  /** Single logout, SP-initiated, HTTP-Redirect binding both ways. */
  function slo(res: ServerResponse, query: URLSearchParams): void {
    const message = query.get('SAMLRequest');
    if (!message) {
      badRequest(res, 'Missing SAMLRequest (a LogoutRequest, HTTP-Redirect binding).');
      return;
    }
    // A Signature, if present, is not verified: this IdP does not know the SP's keys (dev only).
    let request: ParsedLogoutRequest;
    try {
      request = parseLogoutRequest(inflateRedirectMessage(message));
    } catch (err) {
      badRequest(res, `Invalid LogoutRequest: ${(err as Error).message}`);
      return;
    }
    if (request.destination !== undefined && request.destination !== sloUrl) {
      badRequest(res, `LogoutRequest Destination ${request.destination} is not this IdP's SLO URL ${sloUrl}.`);
      return;
    }
    if (request.notOnOrAfter !== undefined && Date.parse(request.notOnOrAfter) <= Date.now()) {
      badRequest(res, 'LogoutRequest has expired (NotOnOrAfter).');
      return;
    }
    const returnUrl = spSloUrls.get(request.issuer);
    if (!returnUrl || !urlHasAllowedPrefix(returnUrl, o.spOriginPrefixes)) {
      badRequest(
        res,
        `No single logout URL known for SP ${request.issuer}: it is derived from the ACS URL of that SP's last sign-in here (…/acs -> …/slo), and none was seen since this IdP started.`,
      );
      return;
    }
    // End the IdP session(s) of this person at this SP: the listed SessionIndex values, or all of them.
    const key = `${request.issuer}\n${request.nameId}`;
    const set = sessions.get(key);
    if (set) {
      if (request.sessionIndexes.length) for (const s of request.sessionIndexes) set.delete(s);
      else set.clear();
      if (!set.size) sessions.delete(key);
    }
    const xml = buildLogoutResponse({ issuer: o.entityId, destination: returnUrl, inResponseTo: request.id });
    const qs = redirectBindingSign({
      kind: 'SAMLResponse',
      xml,
      relayState: query.get('RelayState') ?? undefined,
      key: o.key,
    });
    redirect(res, `${returnUrl}${returnUrl.includes('?') ? '&' : '?'}${qs}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dev-idp.invalid');
    if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      sendHtml(res, 404, page('Not found', '<h1>Not found</h1>'));
      return;
    }
    const route = `${req.method} ${url.pathname.slice(basePath.length) || '/'}`;
    const q = url.searchParams;

    switch (route) {
      case 'GET /metadata':
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml; charset=utf-8' });
        res.end(idpMetadata({ entityId: o.entityId, baseUrl: base, cert: o.cert }));
        return;

      case 'GET /sso': {
        const message = q.get('SAMLRequest');
        if (!message) {
          badRequest(res, 'Missing SAMLRequest (HTTP-Redirect binding: deflated, base64, URL-encoded).');
          return;
        }
        let xml: string;
        try {
          xml = inflateRedirectMessage(message);
        } catch (err) {
          badRequest(res, (err as Error).message);
          return;
        }
        // SigAlg/Signature, if present, are not verified: WantAuthnRequestsSigned="false" and no SP keys.
        startSso(res, xml, q.get('RelayState') ?? undefined);
        return;
      }

      case 'POST /sso': {
        // HTTP-POST binding: base64 of the XML, not deflated.
        const form = await readForm(req);
        const message = form.get('SAMLRequest');
        if (!message) {
          badRequest(res, 'Missing SAMLRequest (HTTP-POST binding: base64 of the AuthnRequest).');
          return;
        }
        startSso(res, Buffer.from(message, 'base64').toString('utf8'), form.get('RelayState') ?? undefined);
        return;
      }

      case 'GET /idp-init': {
        // IdP-initiated SSO: the response carries no InResponseTo.
        const acs = q.get('acs') ?? '';
        const audience = q.get('audience') ?? '';
        if (!acs || !audience) {
          badRequest(res, 'IdP-initiated SSO needs ?acs=<SP ACS URL>&audience=<SP entity id>[&RelayState=...].');
          return;
        }
        if (!acsAllowed(acs)) {
          badRequest(res, `ACS URL ${acs} is not under an allowed SP origin (${o.spOriginPrefixes.join(', ')}).`);
          return;
        }
        showPicker(res, { acsUrl: acs, audience, relayState: q.get('RelayState') ?? undefined });
        return;
      }

      case 'POST /login':
        await login(req, res);
        return;

      case 'GET /slo':
        slo(res, q);
        return;

      default:
        sendHtml(res, 404, page('Not found', `<h1>${esc(HEADING)}</h1><p>Not found.</p>`));
    }
  }

  function handler(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) console.error('dev-idp saml:', err);
      if (!res.headersSent) badRequestOr(res, status, (err as Error).message);
      else res.end();
    });
  }

  function badRequestOr(res: ServerResponse, status: number, message: string): void {
    sendHtml(res, status, page('Error', `<h1>${esc(HEADING)}</h1><p class="error">${esc(message)}</p>`));
  }

  return { handler };
}
