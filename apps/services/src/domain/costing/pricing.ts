import { budgetLevel, type TBudget } from '@dharma/costing/budget';
import { estimate, type TDiscount } from '@dharma/costing/estimate';
import { tenantPricing, type TPriceBook } from '@dharma/costing/price-book';
import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { budgetOfProjectStatement, insertBudgetAlert, pricingStatements, projectDesignsStatement, type TProjectDesign } from '@dharma/db/queries/costing';
import type { TReadCtx } from '../../trpc/cached-read';

export interface TPricing {
  books: TPriceBook[];
  discounts: TDiscount[];
}

/** What a tenant's estimates are priced with: the public book, its own prices over it, its discounts. */
export async function pricingOf(ctx: Pick<TReadCtx, 'read' | 'tenant'>): Promise<TPricing> {
  const [prices, discounts] = await ctx.read((db) => pricingStatements(db, { tenantId: ctx.tenant.id }));
  return tenantPricing({ prices: prices.map((p) => ({ ...p, price: Number(p.price) })), discounts: discounts.map((d) => ({ ...d, percent: Number(d.percent) })) }, ctx.tenant.slug);
}

/**
 * A project's monthly total, its live blueprints at their current versions or, with `replace`, one of them at another
 * graph (the version being checked), with the project's budget; null when the project has none. `pricing` when the
 * caller has it already; read here otherwise, and only when there is a budget.
 */
export async function projectedBurn(ctx: Pick<TReadCtx, 'read' | 'tenant'>, a: { projectId: string; replace?: { blueprintId: string; graph: TBlueprintGraph } }, known?: TPricing) {
  const tenantId = ctx.tenant.id;
  // The budget first: most projects have none, and then the project's designs are not read at all.
  const [budgetRows] = await ctx.read((db) => [budgetOfProjectStatement(db, { tenantId, projectId: a.projectId })]);
  const row = budgetRows[0];
  if (!row) return null;
  const [designs] = await ctx.read((db) => [projectDesignsStatement(db, { tenantId, projectId: a.projectId })]);
  const budget: TBudget & { projectName: string } = { amount: Number(row.amount), warnPercent: row.warnPercent, alertPercent: row.alertPercent, projectName: row.projectName };
  const pricing = known ?? (await pricingOf(ctx));
  const parts = (designs as TProjectDesign[]).map((d) => {
    const graph = d.id === a.replace?.blueprintId ? a.replace.graph : d.graph;
    return { blueprintId: d.id, name: d.name, monthly: estimate(graph, pricing.books, pricing.discounts).monthly };
  });
  const projected = Math.round(parts.reduce((s, p) => s + p.monthly, 0) * 100) / 100;
  return { budget, projected, parts, level: budgetLevel(projected, budget) };
}

/** Raises a version's budget alert once (the highest threshold its project's total crosses); the level, or null. */
export async function checkBudget(ctx: Pick<TReadCtx, 'read' | 'tenant' | 'tx'>, a: { projectId: string; blueprintId: string; version: number; graph: TBlueprintGraph }) {
  const burn = await projectedBurn(ctx, { projectId: a.projectId, replace: { blueprintId: a.blueprintId, graph: a.graph } });
  if (!burn?.level) return { burn, raised: null };
  const level = burn.level;
  const raised = await ctx.tx((tx) => insertBudgetAlert(tx, { tenantId: ctx.tenant.id, projectId: a.projectId, blueprintId: a.blueprintId, version: a.version, level, projected: burn.projected, amount: burn.budget.amount }));
  return { burn, raised: raised ? { id: raised.id, level } : null };
}

/**
 * The budget check after a create or a version save, off the request's path: the answer does not wait for it, and a
 * failure is logged, never the request's. A version over a threshold raises its alert once.
 */
export function checkBudgetAfterWrite(ctx: Pick<TReadCtx, 'read' | 'tenant' | 'tx'>, a: { projectId: string; blueprintId: string; version: number; graph: TBlueprintGraph }): void {
  void checkBudget(ctx, a).catch((error: unknown) => console.error(`budget check of blueprint ${a.blueprintId} v${a.version} failed: ${String(error)}`));
}
