import { foreignKey, index, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicy } from './rls';
import { teams, tenants, users } from './tenancy';

export const CLOUD_VALUES = ['aws', 'azure', 'gcp', 'multi'] as const;
export const ENVIRONMENT_NAMES = ['dev', 'test', 'staging', 'prod', 'dr'] as const;

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    primaryCloud: text('primary_cloud', { enum: CLOUD_VALUES }).notNull(),
    tags: jsonb('tags').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('projects_tenant_slug_key').on(t.tenantId, t.slug),
    // Target of composite foreign keys: a child row can only point at a parent in its own tenant.
    unique('projects_tenant_id_key').on(t.tenantId, t.id),
    index('projects_tenant_name_idx').on(t.tenantId, t.name),
    tenantPolicy('projects', t.tenantId),
  ],
);

export const environments = pgTable(
  'environments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id').notNull(),
    name: text('name', { enum: ENVIRONMENT_NAMES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.projectId], foreignColumns: [projects.tenantId, projects.id], name: 'environments_project_fk' }).onDelete('cascade'),
    uniqueIndex('environments_project_name_key').on(t.projectId, t.name),
    index('environments_tenant_idx').on(t.tenantId),
    tenantPolicy('environments', t.tenantId),
  ],
);
