import { boolean, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicy } from './rls';
import { tenants } from './tenancy';

export const IDP_KINDS = ['oidc', 'saml'] as const;

/** One IdP group mapped to one role (a system role's or a custom role's name). */
export interface TGroupRole {
  group: string;
  role: string;
}

/**
 * A tenant's identity provider: an OIDC provider or a SAML 2.0 IdP. `config` holds the kind's settings as
 * `@dharma/auth/sso/config` validates them (issuer, client id and secret; or entity id, SSO/SLO URLs, certificates,
 * attribute names). Read before the tenant is known only through the `auth_identity_provider` definer function.
 */
export const identityProviders = pgTable(
  'identity_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: IDP_KINDS }).notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    /** Roles from groups, re-applied at every sign-in through this provider. */
    groupRoles: jsonb('group_roles').$type<TGroupRole[]>().notNull().default([]),
    /** Roles of a signed-in user whose groups map to none; empty: such a user is refused. */
    defaultRoles: jsonb('default_roles').$type<string[]>().notNull().default([]),
    /** Email domains this provider may sign in (lower case); empty: any. */
    domains: jsonb('domains').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('identity_providers_tenant_name_key').on(t.tenantId, t.name), tenantPolicy('identity_providers', t.tenantId)],
);

/**
 * The SAML AuthnRequests and LogoutRequests this SP issued, so a response's InResponseTo is accepted once, only for
 * the provider that it was sent to, and only until it expires.
 */
export const ssoRequests = pgTable(
  'sso_requests',
  {
    id: text('id').notNull(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    idpId: uuid('idp_id').notNull(),
    kind: text('kind', { enum: ['authn', 'logout'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.idpId, t.id] }),
    foreignKey({ columns: [t.idpId], foreignColumns: [identityProviders.id], name: 'sso_requests_idp_fk' }).onDelete('cascade'),
    index('sso_requests_expires_idx').on(t.expiresAt),
    tenantPolicy('sso_requests', t.tenantId),
  ],
);

/** Assertion ids already accepted from a provider, kept until the assertion expires: a replay is refused. */
export const ssoAssertions = pgTable(
  'sso_assertions',
  {
    idpId: uuid('idp_id').notNull(),
    assertionId: text('assertion_id').notNull(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.idpId, t.assertionId] }),
    foreignKey({ columns: [t.idpId], foreignColumns: [identityProviders.id], name: 'sso_assertions_idp_fk' }).onDelete('cascade'),
    index('sso_assertions_expires_idx').on(t.expiresAt),
    tenantPolicy('sso_assertions', t.tenantId),
  ],
);
