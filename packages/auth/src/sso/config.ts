import { DOMParser } from '@xmldom/xmldom';
import { z } from 'zod';
import { ROLES } from '../rbac';

/**
 * An identity provider's settings as a tenant admin enters them, validated once here for the console, the API and
 * the sign-in path alike. Secrets (an OIDC client secret) are accepted on save and never returned.
 */
const ZHttpUrl = (example: string) =>
  z.url({ error: `must be an http(s) URL, for example ${example}` }).refine((v) => /^https?:\/\//.test(v), `must be an http(s) URL, for example ${example}`);


export const ZOidcConfig = z.object({
  issuer: ZHttpUrl('https://login.example.com').transform((v) => v.replace(/\/+$/, '')),
  clientId: z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters'),
  clientSecret: z.string().min(1, 'is required').max(1000, 'must be at most 1000 characters'),
  /** The ID token claim holding the user's groups. */
  groupsClaim: z.string().trim().min(1).max(100).default('groups'),
});
export type TOidcConfig = z.infer<typeof ZOidcConfig>;

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A certificate as PEM, or its base64 body as metadata carries it; normalised to PEM. */
const ZCertificate = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(20_000, 'is too long for a certificate')
  .transform((v, ctx) => {
    const body = (v.match(PEM_CERT)?.[0] ?? v).replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+=*$/.test(body) || body.length < 200) {
      ctx.addIssue({ code: 'custom', message: 'must be an X.509 certificate (PEM, or the base64 in the metadata)' });
      return z.NEVER;
    }
    return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  });

export const ZSamlConfig = z.object({
  /** The IdP's entity id: the Issuer of its responses. */
  entityId: z.string().trim().min(1, 'is required').max(1000),
  ssoUrl: ZHttpUrl('https://idp.example.com/sso'),
  sloUrl: ZHttpUrl('https://idp.example.com/slo').optional(),
  /** Signing certificates the IdP may use (more than one during a rotation). */
  certificates: z.array(ZCertificate).min(1, 'at least one signing certificate is required').max(4, 'at most 4 certificates'),
  attributes: z
    .object({
      email: z.string().trim().min(1).max(300).default('email'),
      name: z.string().trim().min(1).max(300).default('displayName'),
      groups: z.string().trim().min(1).max(300).default('groups'),
    })
    .prefault({}),
  /** Accept responses the IdP starts (no AuthnRequest): IdP-initiated sign-in from its app dashboard. */
  allowIdpInitiated: z.boolean().default(true),
});
export type TSamlConfig = z.infer<typeof ZSamlConfig>;

const ZRoleName = z.string().trim().min(1, 'is required').max(100);
const ZDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com');

/** What every provider has besides its kind's settings. */
export const ZProviderCommon = {
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  enabled: z.boolean().default(true),
  groupRoles: z.array(z.object({ group: z.string().trim().min(1, 'is required').max(300), role: ZRoleName })).max(200).default([]),
  defaultRoles: z.array(ZRoleName).max(20).default([]),
  domains: z.array(ZDomain).max(50).default([]),
};

export const SYSTEM_ROLE_NAMES: readonly string[] = ROLES;

/** Lower-case email domain, or null when the value has none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at > 0 && at < email.length - 1 ? email.slice(at + 1).toLowerCase() : null;
}

export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataError';
  }
}

export const MAX_METADATA_BYTES = 512 * 1024;
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * An IdP's SAML metadata to settings: entity id, SSO and SLO URLs (HTTP-Redirect binding), signing certificates.
 * Refused with a reason: too large, not XML, a DOCTYPE (entities are never expanded: no XXE, no billion laughs), not
 * an IdP's metadata.
 */
export function parseIdpMetadata(xml: string): Pick<TSamlConfig, 'entityId' | 'ssoUrl' | 'sloUrl' | 'certificates'> {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) throw new MetadataError(`is larger than ${MAX_METADATA_BYTES / 1024} KiB`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new MetadataError('must not contain a DOCTYPE or entity declarations');
  const problems: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: () => {}, error: (m: string) => void problems.push(m), fatalError: (m: string) => void problems.push(m) } }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !doc.documentElement) throw new MetadataError(`is not well-formed XML (${problems[0] ?? 'no root element'})`);
  const root = doc.documentElement;
  const entity = root.localName === 'EntityDescriptor' ? root : Array.from(root.getElementsByTagNameNS(MD, 'EntityDescriptor'))[0];
  const idp = entity ? Array.from(entity.getElementsByTagNameNS(MD, 'IDPSSODescriptor'))[0] : undefined;
  if (!entity || !idp) throw new MetadataError('is not an identity provider metadata document (no EntityDescriptor with an IDPSSODescriptor)');
  const entityId = entity.getAttribute('entityID');
  if (!entityId) throw new MetadataError('has no entityID');
  const services = (tag: string) =>
    Array.from(idp.getElementsByTagNameNS(MD, tag)).find((e) => e.getAttribute('Binding') === REDIRECT)?.getAttribute('Location') ?? undefined;
  const ssoUrl = services('SingleSignOnService');
  if (!ssoUrl) throw new MetadataError('has no SingleSignOnService with the HTTP-Redirect binding');
  const certificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')).map((c) => (c.textContent ?? '').replace(/\s+/g, '')))
    .filter(Boolean);
  if (certificates.length === 0) throw new MetadataError('has no signing certificate (KeyDescriptor use="signing")');
  const parsed = ZSamlConfig.pick({ entityId: true, ssoUrl: true, sloUrl: true, certificates: true }).safeParse({ entityId, ssoUrl, sloUrl: services('SingleLogoutService'), certificates });
  if (!parsed.success) throw new MetadataError(`carries a bad value: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
