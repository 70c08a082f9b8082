import { DomainError } from '@dharma/db/errors';
import { exemptionsStatement, tenantPoliciesStatement, type TExemptionRow, type TPolicyRow } from '@dharma/db/queries/guardrails';
import { evaluate, type TCostFacts, type TExemption } from '@dharma/guardrails/evaluate';
import { estimate } from '@dharma/costing/estimate';
import { pricingOf, projectedBurn } from '../costing/pricing';
import { effectiveLibrary, type TLibraryPolicy } from '@dharma/guardrails/library';
import type { TPolicy } from '@dharma/guardrails/policy';
import type { TReadCtx } from '../../trpc/cached-read';
import { readVersion, type TReadVersion } from '../blueprints/read-version';

type TBurn = Awaited<ReturnType<typeof projectedBurn>>;

export const toPolicy = (r: TPolicyRow): TPolicy => ({ ...r, when: r.when ?? undefined });
export const toExemption = (r: TExemptionRow): TExemption => ({ ...r, expiresAt: r.expiresAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null });

/** The tenant's library: the defaults, its changes to them and its own policies. */
export async function libraryOf(ctx: TReadCtx): Promise<TLibraryPolicy[]> {
  const [rows] = await ctx.read((db) => [tenantPoliciesStatement(db, { tenantId: ctx.tenant.id })]);
  return effectiveLibrary(rows.map(toPolicy));
}

/**
 * What policies over cost see for a version: its estimate and its project's total against the budget, priced once
 * with the tenant's prices. The burn comes back too, for the approval's budget check.
 */
export async function costFactsOf(ctx: TReadCtx, read: TReadVersion, blueprintId: string): Promise<{ facts: TCostFacts; burn: TBurn }> {
  const pricing = await pricingOf(ctx);
  const graph = read.version.graph;
  const cost = estimate(graph, pricing.books, pricing.discounts);
  const burn = await projectedBurn(ctx, { projectId: read.projectId, replace: { blueprintId, graph } }, pricing);
  const facts: TCostFacts = {
    components: Object.fromEntries(cost.components.map((c) => [c.componentId, c.monthly])),
    monthly: cost.monthly,
    byCategory: cost.byCategory,
    ...(burn ? { budget: { amount: burn.budget.amount, projected: burn.projected } } : {}),
  };
  return { facts, burn };
}

/**
 * A version evaluated against the tenant's library, its cost and budget, with the blueprint's exemptions in force now;
 * with what it was read and priced from, so a caller (the approval) needs no second read.
 */
export async function evaluateVersion(ctx: TReadCtx, input: { id: string; number: number }) {
  const [read, library, [exemptionRows]] = await Promise.all([
    readVersion(ctx, input),
    libraryOf(ctx),
    ctx.read((db) => [exemptionsStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id })]),
  ]);
  const { facts, burn } = await costFactsOf(ctx, read, input.id);
  const evaluation = { version: input.number, ...evaluate(read.version.graph, library, exemptionRows.map(toExemption), new Date(), { name: read.name, cost: facts }) };
  return { read, evaluation, burn };
}

export const evaluationOf = async (ctx: TReadCtx, input: { id: string; number: number }) => (await evaluateVersion(ctx, input)).evaluation;

/** The policy of this key in the tenant's library, or not found naming the field. */
export async function policyOf(ctx: TReadCtx, key: string): Promise<TLibraryPolicy> {
  const policy = (await libraryOf(ctx)).find((p) => p.key === key);
  if (!policy) throw new DomainError('NOT_FOUND', `no policy ${key} in this tenant's library`, 'policyKey');
  return policy;
}
