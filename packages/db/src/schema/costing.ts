import { date, foreignKey, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { blueprints } from './blueprints';
import { projects } from './projects';
import { tenantPolicy } from './rls';
import { tenants, users } from './tenancy';

/** A tenant's own price for a SKU in a region (an enterprise agreement): used instead of the public list price. */
export const priceOverrides = pgTable(
  'price_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    cloud: text('cloud', { enum: ['aws', 'azure', 'gcp'] }).notNull(),
    region: text('region').notNull(),
    sku: text('sku').notNull(),
    unit: text('unit', { enum: ['hour', 'GB-month', 'month'] }).notNull(),
    /** USD per unit, exact. */
    price: numeric('price', { precision: 14, scale: 6 }).notNull(),
    effective: date('effective').notNull(),
    source: text('source').notNull().default(''),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('price_overrides_sku_key').on(t.tenantId, t.cloud, t.region, t.sku), tenantPolicy('price_overrides', t.tenantId)],
);

/** A discount off list prices: a whole cloud, or the SKUs starting with a prefix (`ec2:`, `rds:`). */
export const costDiscounts = pgTable(
  'cost_discounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    cloud: text('cloud', { enum: ['aws', 'azure', 'gcp'] }).notNull(),
    skuPrefix: text('sku_prefix').notNull().default(''),
    percent: numeric('percent', { precision: 5, scale: 2 }).notNull(),
    note: text('note').notNull().default(''),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cost_discounts_key').on(t.tenantId, t.cloud, t.skuPrefix), tenantPolicy('cost_discounts', t.tenantId)],
);

/** A project's monthly budget (USD) with its warning and alert thresholds (percent of the amount). */
export const budgets = pgTable(
  'budgets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    warnPercent: integer('warn_percent').notNull().default(90),
    alertPercent: integer('alert_percent').notNull().default(100),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.projectId], foreignColumns: [projects.tenantId, projects.id], name: 'budgets_project_fk' }).onDelete('cascade'),
    uniqueIndex('budgets_project_key').on(t.tenantId, t.projectId),
    tenantPolicy('budgets', t.tenantId),
  ],
);

/**
 * A version that would take its project past a budget threshold: one row per blueprint version (the highest
 * threshold it crosses), so checking a version again raises nothing new.
 */
export const budgetAlerts = pgTable(
  'budget_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id').notNull(),
    blueprintId: uuid('blueprint_id').notNull(),
    version: integer('version').notNull(),
    level: text('level', { enum: ['warn', 'alert'] }).notNull(),
    /** The project's monthly total with this version, and the budget then. */
    projected: numeric('projected', { precision: 14, scale: 2 }).notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [blueprints.tenantId, blueprints.id], name: 'budget_alerts_blueprint_fk' }).onDelete('cascade'),
    uniqueIndex('budget_alerts_version_key').on(t.tenantId, t.blueprintId, t.version),
    tenantPolicy('budget_alerts', t.tenantId),
  ],
);

/** What people decided about a recommendation on a blueprint: accepted (as which version) or dismissed with a reason. */
export const recommendationDecisions = pgTable(
  'recommendation_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    blueprintId: uuid('blueprint_id').notNull(),
    key: text('key').notNull(),
    decision: text('decision', { enum: ['accepted', 'dismissed'] }).notNull(),
    reason: text('reason').notNull().default(''),
    /** The version an accepted recommendation became. */
    version: integer('version'),
    monthlySavings: numeric('monthly_savings', { precision: 14, scale: 2 }).notNull(),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [blueprints.tenantId, blueprints.id], name: 'recommendation_decisions_blueprint_fk' }).onDelete('cascade'),
    uniqueIndex('recommendation_decisions_key').on(t.tenantId, t.blueprintId, t.key),
    tenantPolicy('recommendation_decisions', t.tenantId),
  ],
);
