import { sql } from 'drizzle-orm';
import { type AnyPgColumn, char, foreignKey, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { TBlueprintGraph } from '../blueprint-graph';
import { CLOUD_VALUES, projects } from './projects';
import { tenantPolicy } from './rls';
import { tenants, users } from './tenancy';

export const BLUEPRINT_STATUSES = ['draft', 'review', 'approved', 'deprecated'] as const;

export const blueprints = pgTable(
  'blueprints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    cloud: text('cloud', { enum: CLOUD_VALUES }).notNull(),
    status: text('status', { enum: BLUEPRINT_STATUSES }).notNull().default('draft'),
    currentVersion: integer('current_version').notNull().default(1),
    /** The version under review (status `review`), as the author asked. */
    reviewVersion: integer('review_version'),
    /** The version last approved: the one that is delivered, even while newer versions are drafts. */
    approvedVersion: integer('approved_version'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    /** The `Idempotency-Key` of the request that created it: a retry with the same key returns this row. */
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.projectId], foreignColumns: [projects.tenantId, projects.id], name: 'blueprints_project_fk' }),
    unique('blueprints_tenant_id_key').on(t.tenantId, t.id),
    // Names are unique per project among live blueprints; an archived name can be reused.
    uniqueIndex('blueprints_project_name_key').on(t.tenantId, t.projectId, sql`lower(${t.name})`).where(sql`${t.archivedAt} is null`),
    // The list page's default order (updated_at DESC, id DESC; NULLS FIRST is what DESC means), per tenant, live rows.
    index('blueprints_tenant_updated_idx').on(t.tenantId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.archivedAt} is null`),
    index('blueprints_tenant_project_idx').on(t.tenantId, t.projectId, t.updatedAt.desc()),
    // Substring search on name (ILIKE '%q%') needs trigrams, a btree cannot serve it.
    index('blueprints_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    uniqueIndex('blueprints_idempotency_key').on(t.tenantId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    tenantPolicy('blueprints', t.tenantId),
  ],
);

/** Immutable: the runtime role has no UPDATE or DELETE on this table, and a trigger refuses both for everyone. */
export const blueprintVersions = pgTable(
  'blueprint_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    blueprintId: uuid('blueprint_id').notNull(),
    number: integer('number').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => blueprintVersions.id),
    message: text('message').notNull().default(''),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    graph: jsonb('graph').$type<TBlueprintGraph>().notNull(),
    graphHash: char('graph_hash', { length: 64 }).notNull(),
    componentCount: integer('component_count').notNull(),
    relationCount: integer('relation_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The `Idempotency-Key` of the save that created it: a retry with the same key returns this version. */
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [blueprints.tenantId, blueprints.id], name: 'blueprint_versions_blueprint_fk' }),
    uniqueIndex('blueprint_versions_number_key').on(t.blueprintId, t.number),
    index('blueprint_versions_tenant_idx').on(t.tenantId),
    uniqueIndex('blueprint_versions_idempotency_key').on(t.tenantId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    tenantPolicy('blueprint_versions', t.tenantId),
  ],
);
