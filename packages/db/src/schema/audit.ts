import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicy } from './rls';
import { tenants } from './tenancy';

export const ACTOR_TYPES = ['user', 'token', 'service', 'system'] as const;

/**
 * What happened, by whom: one row per mutation and per sign-in, written in the mutation's own transaction. The
 * runtime role may only insert and select; a trigger refuses UPDATE and DELETE for everyone (migration 0009).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorLabel: text('actor_label').notNull().default(''),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    outcome: text('outcome', { enum: ['success', 'failure'] }).notNull().default('success'),
  },
  (t) => [
    index('audit_events_tenant_at_idx').on(t.tenantId, t.at.desc(), t.id),
    index('audit_events_tenant_actor_idx').on(t.tenantId, t.actorId, t.at.desc()),
    index('audit_events_tenant_action_idx').on(t.tenantId, t.action, t.at.desc()),
    index('audit_events_tenant_target_idx').on(t.tenantId, t.targetId, t.at.desc()),
    tenantPolicy('audit_events', t.tenantId),
  ],
);
