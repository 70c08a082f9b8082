import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { TBlueprintGraph } from '../blueprint-graph';
import type { TExecutor } from '../client';
import { notFound } from '../errors';
import { blueprints, blueprintVersions } from '../schema/blueprints';
import { budgetAlerts, budgets, costDiscounts, priceOverrides, recommendationDecisions } from '../schema/costing';
import { projects } from '../schema/projects';

const priceColumns = { id: priceOverrides.id, cloud: priceOverrides.cloud, region: priceOverrides.region, sku: priceOverrides.sku, unit: priceOverrides.unit, price: priceOverrides.price, effective: priceOverrides.effective, source: priceOverrides.source, updatedAt: priceOverrides.updatedAt };
const discountColumns = { id: costDiscounts.id, cloud: costDiscounts.cloud, skuPrefix: costDiscounts.skuPrefix, percent: costDiscounts.percent, note: costDiscounts.note, updatedAt: costDiscounts.updatedAt };

/** A tenant's own prices and discounts, in one read. */
export function pricingStatements(db: TExecutor, { tenantId }: { tenantId: string }) {
  return [
    db.select(priceColumns).from(priceOverrides).where(eq(priceOverrides.tenantId, tenantId)).orderBy(priceOverrides.cloud, priceOverrides.sku, priceOverrides.region),
    db.select(discountColumns).from(costDiscounts).where(eq(costDiscounts.tenantId, tenantId)).orderBy(costDiscounts.cloud, costDiscounts.skuPrefix),
  ] as const;
}

export async function savePrice(tx: TExecutor, p: { tenantId: string; userId: string; cloud: 'aws' | 'azure' | 'gcp'; region: string; sku: string; unit: 'hour' | 'GB-month' | 'month'; price: number; effective: string; source: string }) {
  const values = { tenantId: p.tenantId, cloud: p.cloud, region: p.region, sku: p.sku, unit: p.unit, price: String(p.price), effective: p.effective, source: p.source, updatedBy: p.userId, updatedAt: new Date() };
  const [row] = await tx.insert(priceOverrides).values(values).onConflictDoUpdate({ target: [priceOverrides.tenantId, priceOverrides.cloud, priceOverrides.region, priceOverrides.sku], set: values }).returning(priceColumns);
  return row!;
}

export async function deletePrice(tx: TExecutor, { tenantId, id }: { tenantId: string; id: string }) {
  const [row] = await tx.delete(priceOverrides).where(and(eq(priceOverrides.tenantId, tenantId), eq(priceOverrides.id, id))).returning(priceColumns);
  if (!row) throw notFound('price', 'id');
  return row;
}

export async function saveDiscount(tx: TExecutor, d: { tenantId: string; userId: string; cloud: 'aws' | 'azure' | 'gcp'; skuPrefix: string; percent: number; note: string }) {
  const values = { tenantId: d.tenantId, cloud: d.cloud, skuPrefix: d.skuPrefix, percent: String(d.percent), note: d.note, updatedBy: d.userId, updatedAt: new Date() };
  const [row] = await tx.insert(costDiscounts).values(values).onConflictDoUpdate({ target: [costDiscounts.tenantId, costDiscounts.cloud, costDiscounts.skuPrefix], set: values }).returning(discountColumns);
  return row!;
}

export async function deleteDiscount(tx: TExecutor, { tenantId, id }: { tenantId: string; id: string }) {
  const [row] = await tx.delete(costDiscounts).where(and(eq(costDiscounts.tenantId, tenantId), eq(costDiscounts.id, id))).returning(discountColumns);
  if (!row) throw notFound('discount', 'id');
  return row;
}

const budgetColumns = { id: budgets.id, projectId: budgets.projectId, projectName: projects.name, amount: budgets.amount, warnPercent: budgets.warnPercent, alertPercent: budgets.alertPercent, updatedAt: budgets.updatedAt };

export function budgetsStatement(db: TExecutor, { tenantId }: { tenantId: string }) {
  return db.select(budgetColumns).from(budgets).innerJoin(projects, and(eq(projects.tenantId, budgets.tenantId), eq(projects.id, budgets.projectId))).where(eq(budgets.tenantId, tenantId)).orderBy(projects.name);
}

export function budgetOfProjectStatement(db: TExecutor, { tenantId, projectId }: { tenantId: string; projectId: string }) {
  return db.select(budgetColumns).from(budgets).innerJoin(projects, and(eq(projects.tenantId, budgets.tenantId), eq(projects.id, budgets.projectId))).where(and(eq(budgets.tenantId, tenantId), eq(budgets.projectId, projectId)));
}

export async function saveBudget(tx: TExecutor, b: { tenantId: string; userId: string; projectId: string; amount: number; warnPercent: number; alertPercent: number }) {
  const [project] = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.tenantId, b.tenantId), eq(projects.id, b.projectId)));
  if (!project) throw notFound('project', 'projectId');
  const values = { tenantId: b.tenantId, projectId: b.projectId, amount: String(b.amount), warnPercent: b.warnPercent, alertPercent: b.alertPercent, updatedBy: b.userId, updatedAt: new Date() };
  const [before] = await tx.select({ amount: budgets.amount, warnPercent: budgets.warnPercent, alertPercent: budgets.alertPercent }).from(budgets).where(and(eq(budgets.tenantId, b.tenantId), eq(budgets.projectId, b.projectId))).for('update');
  await tx.insert(budgets).values(values).onConflictDoUpdate({ target: [budgets.tenantId, budgets.projectId], set: values });
  return before ?? null;
}

/** The live blueprints of a project with their current graphs: what its monthly total is made of. */
export function projectDesignsStatement(db: TExecutor, { tenantId, projectId }: { tenantId: string; projectId: string }) {
  return db
    .select({ id: blueprints.id, name: blueprints.name, currentVersion: blueprints.currentVersion, graph: blueprintVersions.graph })
    .from(blueprints)
    .innerJoin(blueprintVersions, and(eq(blueprintVersions.tenantId, blueprints.tenantId), eq(blueprintVersions.blueprintId, blueprints.id), eq(blueprintVersions.number, blueprints.currentVersion)))
    .where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.projectId, projectId), isNull(blueprints.archivedAt)));
}
export type TProjectDesign = { id: string; name: string; currentVersion: number; graph: TBlueprintGraph };

/** Raises the alert of a version, once: a second check of the same version inserts nothing (null). */
export async function insertBudgetAlert(tx: TExecutor, a: { tenantId: string; projectId: string; blueprintId: string; version: number; level: 'warn' | 'alert'; projected: number; amount: number }) {
  const [row] = await tx
    .insert(budgetAlerts)
    .values({ ...a, projected: String(a.projected), amount: String(a.amount) })
    .onConflictDoNothing({ target: [budgetAlerts.tenantId, budgetAlerts.blueprintId, budgetAlerts.version] })
    .returning({ id: budgetAlerts.id });
  return row ?? null;
}

export function alertsStatement(db: TExecutor, { tenantId, limit = 100 }: { tenantId: string; limit?: number }) {
  return db
    .select({ id: budgetAlerts.id, projectId: budgetAlerts.projectId, projectName: projects.name, blueprintId: budgetAlerts.blueprintId, blueprintName: blueprints.name, version: budgetAlerts.version, level: budgetAlerts.level, projected: budgetAlerts.projected, amount: budgetAlerts.amount, createdAt: budgetAlerts.createdAt, acknowledgedAt: budgetAlerts.acknowledgedAt })
    .from(budgetAlerts)
    .innerJoin(blueprints, and(eq(blueprints.tenantId, budgetAlerts.tenantId), eq(blueprints.id, budgetAlerts.blueprintId)))
    .innerJoin(projects, and(eq(projects.tenantId, budgetAlerts.tenantId), eq(projects.id, budgetAlerts.projectId)))
    .where(eq(budgetAlerts.tenantId, tenantId))
    .orderBy(desc(budgetAlerts.createdAt))
    .limit(limit);
}

export async function acknowledgeAlert(tx: TExecutor, { tenantId, id, userId }: { tenantId: string; id: string; userId: string }) {
  const [row] = await tx.update(budgetAlerts).set({ acknowledgedBy: userId, acknowledgedAt: sql`coalesce(${budgetAlerts.acknowledgedAt}, now())` }).where(and(eq(budgetAlerts.tenantId, tenantId), eq(budgetAlerts.id, id))).returning({ id: budgetAlerts.id });
  if (!row) throw notFound('alert', 'id');
  return row;
}

export function decisionsStatement(db: TExecutor, { tenantId, blueprintId }: { tenantId: string; blueprintId: string }) {
  return db
    .select({ key: recommendationDecisions.key, decision: recommendationDecisions.decision, reason: recommendationDecisions.reason, version: recommendationDecisions.version, monthlySavings: recommendationDecisions.monthlySavings, decidedAt: recommendationDecisions.decidedAt })
    .from(recommendationDecisions)
    .where(and(eq(recommendationDecisions.tenantId, tenantId), eq(recommendationDecisions.blueprintId, blueprintId)))
    .orderBy(desc(recommendationDecisions.decidedAt));
}

/** Records a decision about one recommendation of a blueprint; a second decision about the same one is a conflict. */
export async function insertDecision(tx: TExecutor, d: { tenantId: string; blueprintId: string; key: string; decision: 'accepted' | 'dismissed'; reason: string; version: number | null; monthlySavings: number; decidedBy: string }) {
  const [row] = await tx
    .insert(recommendationDecisions)
    .values({ ...d, monthlySavings: String(d.monthlySavings) })
    .onConflictDoNothing({ target: [recommendationDecisions.tenantId, recommendationDecisions.blueprintId, recommendationDecisions.key] })
    .returning({ id: recommendationDecisions.id });
  return row ?? null;
}
