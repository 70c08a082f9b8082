import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicy } from './rls';

export const USER_KINDS = ['human', 'service'] as const;

export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    dataRegion: text('data_region').notNull().default('eu-west-1'),
    status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
    tier: text('tier', { enum: ['free', 'team', 'enterprise'] }).notNull().default('team'),
    /**
     * Where the tenant's design data lives: `shared`, the standard tier (shared tables, row-level security), or
     * `schema`, the enterprise tier (its projects, blueprints, versions and audit events in a schema of its own,
     * `tenant_<id without dashes>`, created and migrated by `tenant_schema_create`; migration 0017).
     */
    isolation: text('isolation', { enum: ['shared', 'schema'] }).notNull().default('shared'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    quotas: jsonb('quotas').$type<Record<string, number>>().notNull().default({}),
    /** People of this tenant may sign in only through its identity providers (no development sign-in). */
    ssoRequired: boolean('sso_required').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tenants_slug_key').on(t.slug), tenantPolicy('tenants', t.id)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    externalId: text('external_id'),
    /** People sign in; service accounts act only through their API tokens. */
    kind: text('kind', { enum: USER_KINDS }).notNull().default('human'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_tenant_email_key').on(t.tenantId, sql`lower(${t.email})`),
    // A person's memberships across tenants (the tenant switcher, `auth_directory(email)`).
    index('users_email_idx').on(sql`lower(${t.email})`),
    uniqueIndex('users_tenant_external_id_key').on(t.tenantId, t.externalId),
    // Target of composite foreign keys: a grant or a token can only point at a user of its own tenant.
    unique('users_tenant_id_key').on(t.tenantId, t.id),
    tenantPolicy('users', t.tenantId),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('teams_tenant_name_key').on(t.tenantId, t.name), tenantPolicy('teams', t.tenantId)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('team_members_user_idx').on(t.userId),
    tenantPolicy('team_members', t.tenantId),
  ],
);
