import { DomainError } from '@dharma/db/errors';
import { exemptionsStatement, tenantPoliciesStatement, type TExemptionRow, type TPolicyRow } from '@dharma/db/queries/guardrails';
import { evaluate, type TCostFacts, type TExemption } from '@dharma/guardrails/evaluate';
import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { lifecycleStatement } from '@dharma/db/queries/lifecycle';
import { estimateGraph, projectedBurn } from '../costing/pricing';
import { effectiveLibrary, type TLibraryPolicy } from '@dharma/guardrails/library';
import type { TPolicy } from '@dharma/guardrails/policy';
import type { TReadCtx } from '../../trpc/cached-read';
import { readVersion } from '../blueprints/read-version';

export const toPolicy = (r: TPolicyRow): TPolicy => ({ ...r, when: r.when ?? undefined });
export const toExemption = (r: TExemptionRow): TExemption => ({ ...r, expiresAt: r.expiresAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null });

/** The tenant's library: the defaults, its changes to them and its own policies. */
export async function libraryOf(ctx: TReadCtx): Promise<TLibraryPolicy[]> {
  const [rows] = await ctx.read((db) => [tenantPoliciesStatement(db, { tenantId: ctx.tenant.id })]);
  return effectiveLibrary(rows.map(toPolicy));
}

/** What policies over cost see for a design: its estimate with the tenant's prices, and its project's budget. */
export async function costFactsOf(ctx: TReadCtx, a: { blueprintId: string; graph: TBlueprintGraph }): Promise<TCostFacts> {
  const [[state], estimate] = await Promise.all([ctx.read((db) => [lifecycleStatement(db, { tenantId: ctx.tenant.id, id: a.blueprintId })]), estimateGraph(ctx, a.graph)]);
  const burn = state[0] ? await projectedBurn(ctx, { projectId: state[0].projectId, blueprintId: a.blueprintId, graph: a.graph }) : null;
  return {
    components: Object.fromEntries(estimate.components.map((c) => [c.componentId, c.monthly])),
    monthly: estimate.monthly,
    byCategory: estimate.byCategory,
    ...(burn ? { budget: { amount: burn.budget.amount, projected: burn.projected } } : {}),
  };
}

/** A version evaluated against the tenant's library, its cost and budget, with the blueprint's exemptions in force now. */
export async function evaluationOf(ctx: TReadCtx, input: { id: string; number: number }) {
  const [{ version, name }, library, [exemptionRows]] = await Promise.all([
    readVersion(ctx, input),
    libraryOf(ctx),
    ctx.read((db) => [exemptionsStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id })]),
  ]);
  const cost = await costFactsOf(ctx, { blueprintId: input.id, graph: version.graph });
  return { version: input.number, ...evaluate(version.graph, library, exemptionRows.map(toExemption), new Date(), { name, cost }) };
}

/** The policy of this key in the tenant's library, or not found naming the field. */
export async function policyOf(ctx: TReadCtx, key: string): Promise<TLibraryPolicy> {
  const policy = (await libraryOf(ctx)).find((p) => p.key === key);
  if (!policy) throw new DomainError('NOT_FOUND', `no policy ${key} in this tenant's library`, 'policyKey');
  return policy;
}
