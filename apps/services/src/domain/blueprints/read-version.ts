import { toVersion, versionStatement } from '@dharma/db/queries/blueprint-versions';
import { blueprintHeadStatement, designRulesStatement, toDesignRules } from '@dharma/db/queries/iac';
import { notFound } from '@dharma/db/errors';
import type { TReadCtx } from '../../trpc/cached-read';
import { assertReadable } from '../../routers/blueprints/blueprint-access';

/**
 * One version of a blueprint the caller may read, with the blueprint's name and project and the tenant's design rules,
 * in one read: what validation, generation, guardrail evaluation and cost start from. Not found exactly as the
 * blueprint reads are.
 */
export async function readVersion(ctx: TReadCtx, input: { id: string; number: number }) {
  await assertReadable(ctx, input.id);
  const tenantId = ctx.tenant.id;
  const [versionRows, headRows, ruleRows] = await ctx.read((db) => [versionStatement(db, { tenantId, blueprintId: input.id, number: input.number }), blueprintHeadStatement(db, { id: input.id }), designRulesStatement(db, { tenantId })]);
  const head = headRows[0];
  if (!head) throw notFound('blueprint', 'id');
  return { version: toVersion(versionRows, input.number), name: head.name, projectId: head.projectId, rules: toDesignRules(ruleRows) };
}

export type TReadVersion = Awaited<ReturnType<typeof readVersion>>;
