import { z } from 'zod';
import { budgetUse } from '@dharma/costing/budget';
import { diffEstimates, estimate } from '@dharma/costing/estimate';
import { priceProblem } from '@dharma/costing/skus';
import { DomainError } from '@dharma/db/errors';
import { recordEvent } from '@dharma/db/queries/audit';
import { acknowledgeAlert, alertsStatement, budgetsStatement, decisionsStatement, deleteDiscount, deletePrice, insertDecision, pricingStatements, saveBudget, saveDiscount, savePrice } from '@dharma/db/queries/costing';
import { recommend } from '@dharma/costing/recommend';
import { readVersion } from '../../domain/blueprints/read-version';
import { checkBudget, pricingOf, projectedBurn, type TPricing } from '../../domain/costing/pricing';
import { cachedQuery, cachedRead, type TReadCtx } from '../../trpc/cached-read';
import { permission, router } from '../../trpc/procedures';
import { ZDiffInput, ZVersionInput } from '../blueprints/blueprints.schema';
import { ZBudgetInput, ZDiscountInput, ZPriceInput } from './costing.schema';

const ZLine = z.object({ sku: z.string(), description: z.string(), unit: z.string(), quantity: z.number(), unitPrice: z.number(), monthly: z.number() });
const ZCategories = z.object({ compute: z.number(), storage: z.number(), network: z.number(), database: z.number(), other: z.number() });
const ZEstimate = z.object({
  version: z.number(),
  priceBook: z.string(),
  components: z.array(z.object({ componentId: z.string(), kind: z.string(), cloud: z.string(), region: z.string(), category: z.string(), status: z.enum(['priced', 'partial', 'free', 'unpriced']), lines: z.array(ZLine), monthly: z.number(), notes: z.array(z.string()) })),
  monthly: z.number(),
  hourly: z.number(),
  yearly: z.number(),
  byCategory: ZCategories,
  coverage: z.object({ priced: z.number(), partial: z.number(), free: z.number(), unpriced: z.number(), total: z.number(), missing: z.array(z.object({ componentId: z.string(), reason: z.string() })) }),
});
const ZCostDiff = z.object({
  from: z.number(),
  to: z.number(),
  monthlyBefore: z.number(),
  monthlyAfter: z.number(),
  change: z.number(),
  components: z.array(z.object({ componentId: z.string(), before: z.number().nullable(), after: z.number().nullable(), change: z.number() })),
});

/** Tag of every cost read: bumped when the prices a tenant uses change. */
export const costingTags = { prices: 'costing:prices' };

/** Cost reads of immutable versions: cached an hour, and by the prices' tag. */
export const costingReads = {
  estimate: cachedRead({ resource: 'costing', action: 'read', input: ZVersionInput, output: ZEstimate, tags: () => [costingTags.prices], ttlSeconds: 3600 }),
  diff: cachedRead({ resource: 'costing', action: 'read', input: ZDiffInput, output: ZCostDiff, tags: () => [costingTags.prices], ttlSeconds: 3600 }),
};

async function estimateOf(ctx: TReadCtx, input: { id: string; number: number }, known?: TPricing) {
  const [{ version }, pricing] = await Promise.all([readVersion(ctx, input), known ?? pricingOf(ctx)]);
  return { version: input.number, ...estimate(version.graph, pricing.books, pricing.discounts) };
}

const ZBurn = z.object({ projectName: z.string(), amount: z.number(), warnPercent: z.number(), alertPercent: z.number(), projected: z.number(), usePercent: z.number().nullable(), level: z.enum(['warn', 'alert']).nullable(), parts: z.array(z.object({ blueprintId: z.string(), name: z.string(), monthly: z.number() })) }).nullable();
const toBurn = (b: Awaited<ReturnType<typeof projectedBurn>>) =>
  b && { projectName: b.budget.projectName, amount: b.budget.amount, warnPercent: b.budget.warnPercent, alertPercent: b.budget.alertPercent, projected: b.projected, usePercent: budgetUse(b.projected, b.budget), level: b.level, parts: b.parts };
const pricesChanged = (ctx: TReadCtx) => ctx.cache.invalidate([costingTags.prices]);
const ZIdInput = z.object({ id: z.uuid({ error: 'must be a uuid' }) });

/**
 * Cost: a version's estimate (per component, in total, by category, with what could not be priced and why) and the
 * change between two versions.
 */
export const costingRouter = router({
  estimate: cachedQuery(costingReads.estimate, (ctx, input) => estimateOf(ctx, input)),
  diff: cachedQuery(costingReads.diff, async (ctx, input) => {
    const pricing = await pricingOf(ctx);
    const [before, after] = await Promise.all([estimateOf(ctx, { id: input.id, number: input.from }, pricing), estimateOf(ctx, { id: input.id, number: input.to }, pricing)]);
    return { from: input.from, to: input.to, ...diffEstimates(before, after) };
  }),

  /** The project's budget and its total with this version (the others at their current versions), or null. */
  budgetOf: permission('costing', 'read')
    .input(ZVersionInput)
    .output(ZBurn)
    .query(async ({ ctx, input }) => {
      const { version, projectId } = await readVersion(ctx, input);
      return toBurn(await projectedBurn(ctx, { projectId, replace: { blueprintId: input.id, graph: version.graph } }));
    }),

  /** Checks a version against its project's budget and raises its alert once; what was raised, if anything. */
  checkBudget: permission('costing', 'read')
    .input(ZVersionInput)
    .output(z.object({ raised: z.object({ id: z.string(), level: z.enum(['warn', 'alert']) }).nullable(), burn: ZBurn }))
    .mutation(async ({ ctx, input }) => {
      const { version, projectId } = await readVersion(ctx, input);
      const { burn, raised } = await checkBudget(ctx, { projectId, blueprintId: input.id, version: input.number, graph: version.graph });
      return { raised, burn: toBurn(burn) };
    }),

  /**
   * Savings advice for a version (right-size, colder storage, scheduled shutdown), each with its monthly saving from
   * the tenant's prices, and what was decided about earlier advice on this blueprint.
   */
  recommendations: permission('costing', 'read')
    .input(ZVersionInput)
    .output(z.object({
      open: z.array(z.object({ key: z.string(), rule: z.string(), componentId: z.string(), title: z.string(), why: z.string(), patch: z.record(z.string(), z.unknown()), monthlySavings: z.number() })),
      decided: z.array(z.object({ key: z.string(), decision: z.enum(['accepted', 'dismissed']), reason: z.string(), version: z.number().nullable(), monthlySavings: z.number(), decidedAt: z.string() })),
    }))
    .query(async ({ ctx, input }) => {
      const [{ version }, pricing, [decisions]] = await Promise.all([readVersion(ctx, input), pricingOf(ctx), ctx.read((db) => [decisionsStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id })])]);
      const decided = new Set(decisions.map((d) => d.key));
      return {
        open: recommend(version.graph, pricing.books, pricing.discounts).filter((r) => !decided.has(r.key)),
        decided: decisions.map((d) => ({ ...d, monthlySavings: Number(d.monthlySavings), decidedAt: d.decidedAt.toISOString() })),
      };
    }),

  /**
   * Records a decision on a recommendation of the blueprint's version `number`: dismissed with a reason, or accepted as
   * version `acceptedAs` (the console saves the recommended change as a new version, then records it here).
   */
  decideRecommendation: permission('blueprint', 'update')
    .input(z.object({ id: z.uuid({ error: 'must be a uuid' }), number: z.number().int().min(1), key: z.string().min(1).max(200), decision: z.enum(['accepted', 'dismissed'], { error: 'must be accepted or dismissed' }), reason: z.string().trim().max(1000).default(''), acceptedAs: z.number().int().min(1).optional() }))
    .output(z.object({ key: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (input.decision === 'dismissed' && input.reason.length < 5) throw new DomainError('BAD_REQUEST', 'say why it is dismissed, in at least 5 characters', 'reason');
      if (input.decision === 'accepted' && input.acceptedAs === undefined) throw new DomainError('BAD_REQUEST', 'name the version the recommendation was saved as', 'acceptedAs');
      const [{ version }, pricing] = await Promise.all([readVersion(ctx, input), pricingOf(ctx)]);
      const rec = recommend(version.graph, pricing.books, pricing.discounts).find((r) => r.key === input.key);
      if (!rec) throw new DomainError('NOT_FOUND', `no recommendation ${input.key} for version ${input.number}`, 'key');
      await ctx.tx(async (tx) => {
        const row = await insertDecision(tx, { tenantId: ctx.tenant.id, blueprintId: input.id, key: input.key, decision: input.decision, reason: input.reason, version: input.acceptedAs ?? null, monthlySavings: rec.monthlySavings, decidedBy: ctx.user.id });
        if (!row) throw new DomainError('CONFLICT', `recommendation ${input.key} was already decided`, 'key');
        await recordEvent(tx, { action: `recommendation.${input.decision === 'accepted' ? 'accept' : 'dismiss'}`, targetType: 'blueprint', targetId: input.id, after: { key: input.key, reason: input.reason, version: input.acceptedAs ?? null, monthlySavings: rec.monthlySavings } });
      });
      return { key: input.key };
    }),

  /** The tenant's own prices and discounts. */
  pricing: permission('costing', 'read')
    .output(z.object({ prices: z.array(z.object({ id: z.string(), cloud: z.string(), region: z.string(), sku: z.string(), unit: z.string(), price: z.number(), effective: z.string(), source: z.string() })), discounts: z.array(z.object({ id: z.string(), cloud: z.string(), skuPrefix: z.string(), percent: z.number(), note: z.string() })) }))
    .query(async ({ ctx }) => {
      const [prices, discounts] = await ctx.read((db) => pricingStatements(db, { tenantId: ctx.tenant.id }));
      return { prices: prices.map((p) => ({ ...p, price: Number(p.price) })), discounts: discounts.map((d) => ({ ...d, percent: Number(d.percent) })) };
    }),

  savePrice: permission('costing', 'manage')
    .input(ZPriceInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const problem = priceProblem(input);
      if (problem) throw new DomainError('BAD_REQUEST', problem.message, problem.field);
      const row = await ctx.tx(async (tx) => {
        const saved = await savePrice(tx, { tenantId: ctx.tenant.id, userId: ctx.user.id, ...input });
        await recordEvent(tx, { action: 'costing.price_save', targetType: 'price', targetId: saved.id, after: input });
        return saved;
      });
      await pricesChanged(ctx);
      return { id: row.id };
    }),

  deletePrice: permission('costing', 'manage')
    .input(ZIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx(async (tx) => {
        const removed = await deletePrice(tx, { tenantId: ctx.tenant.id, id: input.id });
        await recordEvent(tx, { action: 'costing.price_delete', targetType: 'price', targetId: input.id, before: removed });
      });
      await pricesChanged(ctx);
      return { id: input.id };
    }),

  saveDiscount: permission('costing', 'manage')
    .input(ZDiscountInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.tx(async (tx) => {
        const saved = await saveDiscount(tx, { tenantId: ctx.tenant.id, userId: ctx.user.id, ...input });
        await recordEvent(tx, { action: 'costing.discount_save', targetType: 'discount', targetId: saved.id, after: input });
        return saved;
      });
      await pricesChanged(ctx);
      return { id: row.id };
    }),

  deleteDiscount: permission('costing', 'manage')
    .input(ZIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx(async (tx) => {
        const removed = await deleteDiscount(tx, { tenantId: ctx.tenant.id, id: input.id });
        await recordEvent(tx, { action: 'costing.discount_delete', targetType: 'discount', targetId: input.id, before: removed });
      });
      await pricesChanged(ctx);
      return { id: input.id };
    }),

  /** Every project budget with its projected burn (its live blueprints at their current versions). */
  budgets: permission('budget', 'read')
    .output(z.array(z.object({ projectId: z.string(), burn: ZBurn })))
    .query(async ({ ctx }) => {
      const [[rows], pricing] = await Promise.all([ctx.read((db) => [budgetsStatement(db, { tenantId: ctx.tenant.id })]), pricingOf(ctx)]);
      return Promise.all(rows.map(async (b) => ({ projectId: b.projectId, burn: toBurn(await projectedBurn(ctx, { projectId: b.projectId }, pricing)) })));
    }),

  saveBudget: permission('budget', 'manage')
    .input(ZBudgetInput)
    .output(z.object({ projectId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx(async (tx) => {
        const before = await saveBudget(tx, { tenantId: ctx.tenant.id, userId: ctx.user.id, ...input });
        await recordEvent(tx, { action: 'budget.save', targetType: 'project', targetId: input.projectId, before, after: input });
      });
      return { projectId: input.projectId };
    }),

  alerts: permission('budget', 'read')
    .output(z.array(z.object({ id: z.string(), projectId: z.string(), projectName: z.string(), blueprintId: z.string(), blueprintName: z.string(), version: z.number(), level: z.enum(['warn', 'alert']), projected: z.number(), amount: z.number(), createdAt: z.string(), acknowledgedAt: z.string().nullable() })))
    .query(async ({ ctx }) => {
      const [rows] = await ctx.read((db) => [alertsStatement(db, { tenantId: ctx.tenant.id })]);
      return rows.map((r) => ({ ...r, projected: Number(r.projected), amount: Number(r.amount), createdAt: r.createdAt.toISOString(), acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null }));
    }),

  acknowledgeAlert: permission('budget', 'manage')
    .input(ZIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.tx(async (tx) => {
        const row = await acknowledgeAlert(tx, { tenantId: ctx.tenant.id, id: input.id, userId: ctx.user.id });
        await recordEvent(tx, { action: 'budget.alert_acknowledge', targetType: 'budget_alert', targetId: input.id });
        return row;
      }),
    ),
});
