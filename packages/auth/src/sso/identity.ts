import type { TGroupRole } from '@dharma/db/schema/index';
import { emailDomain } from './config';

/** Who an identity provider says signed in, after its signature and conditions were checked. */
export interface TAssertedIdentity {
  /** The provider's stable id for the person: the OIDC `sub`, the SAML NameID. */
  subject: string;
  email: string;
  name: string;
  groups: string[];
}

/** A provider as sign-in reads it (auth_identity_provider). */
export interface TSignInProvider {
  id: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  kind: 'oidc' | 'saml';
  name: string;
  config: Record<string, unknown>;
  groupRoles: TGroupRole[];
  defaultRoles: string[];
  domains: string[];
}

export class SsoRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'SsoRefusal';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The roles a person gets from this provider: those their groups map to, else the provider's default roles. Refused
 * (with the reason recorded as a failed sign-in) when the email is missing or outside the provider's domains, or when
 * nothing maps and there is no default.
 */
export function mapIdentity(idp: Pick<TSignInProvider, 'groupRoles' | 'defaultRoles' | 'domains'>, who: TAssertedIdentity): { roles: string[] } {
  if (!EMAIL.test(who.email)) throw new SsoRefusal('no_email', 'the identity provider sent no usable email address for this user');
  const domain = emailDomain(who.email)!;
  if (idp.domains.length > 0 && !idp.domains.includes(domain)) {
    throw new SsoRefusal('domain', `the email domain ${domain} is not one this identity provider may sign in (${idp.domains.join(', ')})`);
  }
  const groups = new Set(who.groups);
  const mapped = [...new Set(idp.groupRoles.filter((m) => groups.has(m.group)).map((m) => m.role))];
  const roles = mapped.length > 0 ? mapped : [...new Set(idp.defaultRoles)];
  if (roles.length === 0) throw new SsoRefusal('no_role', `none of this user's groups (${who.groups.join(', ') || 'none'}) maps to a role, and the provider gives no default role`);
  return { roles: roles.sort() };
}

/** A claim or attribute as a list of strings (a single value, an array, or nothing). */
export function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}
