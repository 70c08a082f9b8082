import { DomainError } from '@dharma/db/errors';
import { exemptionsStatement, tenantPoliciesStatement, type TExemptionRow, type TPolicyRow } from '@dharma/db/queries/guardrails';
import { evaluate, type TExemption } from '@dharma/guardrails/evaluate';
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

/** A version evaluated against the tenant's library with the blueprint's exemptions in force now. */
export async function evaluationOf(ctx: TReadCtx, input: { id: string; number: number }) {
  const [{ version, name }, library, [exemptionRows]] = await Promise.all([
    readVersion(ctx, input),
    libraryOf(ctx),
    ctx.read((db) => [exemptionsStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id })]),
  ]);
  return { version: input.number, ...evaluate(version.graph, library, exemptionRows.map(toExemption), new Date(), { name }) };
}

/** The policy of this key in the tenant's library, or not found naming the field. */
export async function policyOf(ctx: TReadCtx, key: string): Promise<TLibraryPolicy> {
  const policy = (await libraryOf(ctx)).find((p) => p.key === key);
  if (!policy) throw new DomainError('NOT_FOUND', `no policy ${key} in this tenant's library`, 'policyKey');
  return policy;
}
