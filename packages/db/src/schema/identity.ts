import { foreignKey, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicy } from './rls';
import { tenants, users } from './tenancy';

/** One permission as stored: a custom role's or an API token's. Same shape as `@dharma/auth/rbac`'s grants. */
export interface TStoredPermission {
  resource: string;
  action: string;
  scope: string;
}

/** Roles a tenant defines next to the seven system roles: a name and exactly the permissions it lists. */
export const customRoles = pgTable(
  'custom_roles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: jsonb('permissions').$type<TStoredPermission[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('custom_roles_tenant_name_key').on(t.tenantId, t.name), tenantPolicy('custom_roles', t.tenantId)],
);

/**
 * Who holds which role, until when: a system role's name or a custom role's name. Read on every request (cached,
 * invalidated by the change), so a grant, a revocation or an expiry takes effect at the next request.
 */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** `manual` (granted by an admin) or `idp:<provider id>` (mapped from groups, re-applied at each sign-in). */
    source: text('source').notNull().default('manual'),
    grantedBy: uuid('granted_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id], name: 'role_grants_user_fk' }).onDelete('cascade'),
    uniqueIndex('role_grants_user_role_key').on(t.tenantId, t.userId, t.role),
    tenantPolicy('role_grants', t.tenantId),
  ],
);

/**
 * Personal API tokens and service accounts' tokens. Only a SHA-256 of the secret is stored; the secret is shown once.
 * A token acts as its user with at most the permissions it lists (and never more than the user holds now).
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    /** The first characters of the token, to recognise it in a list. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    permissions: jsonb('permissions').$type<TStoredPermission[]>().notNull().default([]),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id], name: 'api_tokens_user_fk' }).onDelete('cascade'),
    uniqueIndex('api_tokens_secret_hash_key').on(t.secretHash),
    index('api_tokens_user_idx').on(t.tenantId, t.userId),
    tenantPolicy('api_tokens', t.tenantId),
  ],
);
