import { boolean, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { blueprints } from './blueprints';
import { tenantPolicy } from './rls';
import { tenants, users } from './tenancy';

export const SEVERITY_VALUES = ['critical', 'high', 'medium', 'low'] as const;
export const ENFORCEMENT_VALUES = ['advisory', 'soft', 'hard'] as const;

/**
 * A tenant's guardrail policies: its own, and its changes to the default library's (same key: turned off, another
 * enforcement or expression). The default library itself lives in code (@dharma/guardrails/library).
 */
export const guardrailPolicies = pgTable(
  'guardrail_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    severity: text('severity', { enum: SEVERITY_VALUES }).notNull(),
    enforcement: text('enforcement', { enum: ENFORCEMENT_VALUES }).notNull(),
    target: text('target', { enum: ['component', 'blueprint'] }).notNull().default('component'),
    kinds: jsonb('kinds').$type<string[]>().notNull().default([]),
    when: text('when'),
    expression: text('expression').notNull(),
    message: text('message').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('guardrail_policies_key').on(t.tenantId, t.key), tenantPolicy('guardrail_policies', t.tenantId)],
);

/**
 * Exemptions of one policy on one blueprint: a waiver (asked for with a reason and an expiry, in force once someone
 * else approves it) or an override of a soft policy (in force at once, by a person allowed to override).
 */
export const guardrailExemptions = pgTable(
  'guardrail_exemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    blueprintId: uuid('blueprint_id').notNull(),
    policyKey: text('policy_key').notNull(),
    kind: text('kind', { enum: ['waiver', 'override'] }).notNull(),
    reason: text('reason').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [blueprints.tenantId, blueprints.id], name: 'guardrail_exemptions_blueprint_fk' }).onDelete('cascade'),
    index('guardrail_exemptions_blueprint_idx').on(t.tenantId, t.blueprintId),
    tenantPolicy('guardrail_exemptions', t.tenantId),
  ],
);

/** Each evaluation of a version: its score and findings as they were, with the exemptions then in force. */
export const guardrailEvaluations = pgTable(
  'guardrail_evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    blueprintId: uuid('blueprint_id').notNull(),
    version: integer('version').notNull(),
    score: integer('score').notNull(),
    passed: boolean('passed').notNull(),
    blocking: integer('blocking').notNull(),
    findings: jsonb('findings').$type<unknown[]>().notNull(),
    evaluatedBy: uuid('evaluated_by').references(() => users.id, { onDelete: 'set null' }),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [blueprints.tenantId, blueprints.id], name: 'guardrail_evaluations_blueprint_fk' }).onDelete('cascade'),
    index('guardrail_evaluations_latest_idx').on(t.tenantId, t.blueprintId, t.version, t.evaluatedAt.desc()),
    tenantPolicy('guardrail_evaluations', t.tenantId),
  ],
);
