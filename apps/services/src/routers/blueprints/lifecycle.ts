import { z } from 'zod';
import { ZText } from '@dharma/db/blueprint-graph';
import { DomainError } from '@dharma/db/errors';
import { listAuditEvents, recordEvent } from '@dharma/db/queries/audit';
import { insertEvaluation } from '@dharma/db/queries/guardrails';
import type { TBlueprintListPlace } from '@dharma/db/queries/blueprints';
import { lifecycleStatement, lockLifecycle, setLifecycle, versionAuthor, type TBlueprintStatus } from '@dharma/db/queries/lifecycle';
import { validateGraph } from '@dharma/catalog/validate';
import { evaluateVersion } from '../../domain/guardrails/evaluation';
import { permission } from '../../trpc/procedures';
import { projectTags } from '../projects.router';
import { assertCovers, assertReadable, blueprintTags } from './blueprint-access';

const ZId = z.uuid({ error: 'must be a uuid' });
const ZComment = ZText().trim().max(2000, { error: 'must be at most 2000 characters' });
const ZLifecycle = z.object({
  status: z.enum(['draft', 'review', 'approved', 'deprecated']),
  currentVersion: z.number(),
  reviewVersion: z.number().nullable(),
  approvedVersion: z.number().nullable(),
  history: z.array(z.object({ at: z.string(), action: z.string(), actorLabel: z.string(), after: z.unknown() })),
});

/** A status change moves the blueprint between status-filtered lists: both lists' tags, its own, the projects'. */
const transitionTags = (id: string, from: TBlueprintListPlace, to: TBlueprintStatus) => [...new Set([...blueprintTags.changed(from), ...blueprintTags.changed({ ...from, status: to }), blueprintTags.one(id), projectTags.lists])];

/**
 * The lifecycle, draft -> review -> approved -> deprecated. An author asks for review of one version; someone who
 * holds approval:approve and did not write that version approves it (refused while it has validation errors or
 * unexempted hard or soft guardrail failures; the evaluation is recorded with the approval) or rejects it with a
 * comment. A new version of an approved blueprint makes it a draft again while approvedVersion stays the one that is
 * delivered (blueprint_save_version). Every transition is an audit event, which is the blueprint's history.
 */
export const lifecycleProcedures = {
  lifecycle: permission('blueprint', 'read')
    .input(z.object({ id: ZId }))
    .output(ZLifecycle)
    .query(async ({ ctx, input }) => {
      await assertReadable(ctx, input.id, { mustExist: true });
      const [[row], events] = await Promise.all([
        ctx.read((db) => [lifecycleStatement(db, { tenantId: ctx.tenant.id, id: input.id })]),
        ctx.tx((tx) => listAuditEvents(tx, { tenantId: ctx.tenant.id, targetId: input.id, action: 'blueprint.', limit: 100 }), { readOnly: true }),
      ]);
      const b = row[0]!;
      return { status: b.status, currentVersion: b.currentVersion, reviewVersion: b.reviewVersion, approvedVersion: b.approvedVersion, history: events.map((e) => ({ at: e.at.toISOString(), action: e.action, actorLabel: e.actorLabel, after: e.after })) };
    }),

  requestReview: permission('blueprint', 'update')
    .input(z.object({ id: ZId, version: z.number({ error: 'must be a version number' }).int().min(1, { error: 'must be 1 or more' }), comment: ZComment.default('') }))
    .output(z.object({ status: z.literal('review') }))
    .mutation(async ({ ctx, input }) => {
      const place = await ctx.tx(async (tx) => {
        await assertCovers(tx, ctx, input.id, 'ask for review of');
        const b = await lockLifecycle(tx, { tenantId: ctx.tenant.id, id: input.id });
        if (b.archivedAt) throw new DomainError('PRECONDITION_FAILED', 'the blueprint is archived; restore it first', 'id');
        if (b.status !== 'draft') throw new DomainError('CONFLICT', `the blueprint is ${b.status}${b.status === 'review' ? ` (version ${b.reviewVersion})` : ''}; only a draft can be sent for review`, 'id');
        await versionAuthor(tx, { tenantId: ctx.tenant.id, blueprintId: input.id, number: input.version, field: 'version' });
        await setLifecycle(tx, { tenantId: ctx.tenant.id, id: input.id, status: 'review', reviewVersion: input.version, approvedVersion: b.approvedVersion });
        await recordEvent(tx, { action: 'blueprint.request_review', targetType: 'blueprint', targetId: input.id, before: { status: b.status }, after: { status: 'review', version: input.version, comment: input.comment } });
        return b;
      });
      await ctx.cache.invalidate(transitionTags(input.id, place, 'review'));
      return { status: 'review' as const };
    }),

  decideReview: permission('approval', 'approve')
    .input(z.object({ id: ZId, decision: z.enum(['approve', 'reject'], { error: 'must be approve or reject' }), comment: ZComment.default('') }))
    .output(z.object({ status: z.enum(['approved', 'draft']), version: z.number(), score: z.number().nullable() }))
    .mutation(async ({ ctx, input }) => {
      if (input.decision === 'reject' && input.comment === '') throw new DomainError('BAD_REQUEST', 'say why the version is rejected', 'comment');
      const tenantId = ctx.tenant.id;
      const [state] = await ctx.read((db) => [lifecycleStatement(db, { tenantId, id: input.id })]);
      const version = state[0]?.reviewVersion;
      if (!state[0]) throw new DomainError('NOT_FOUND', 'blueprint not found', 'id');
      if (state[0].status !== 'review' || version === null || version === undefined) throw new DomainError('CONFLICT', `the blueprint is ${state[0].status}, not in review`, 'id');
      // The gate, read before the transaction: a version under review never changes, and the transaction re-checks
      // that the same version is still under review.
      let evaluation: Awaited<ReturnType<typeof evaluateVersion>>['evaluation'] | null = null;
      if (input.decision === 'approve') {
        const { read, evaluation: evaluated, burn } = await evaluateVersion(ctx, { id: input.id, number: version });
        const errors = validateGraph(read.version.graph, read.rules).errors;
        if (errors > 0) throw new DomainError('PRECONDITION_FAILED', `version ${version} has ${errors} validation error(s): it cannot be approved`, 'id');
        if (evaluated.blocking > 0) {
          const first = evaluated.findings.find((f) => !f.exemptedBy && f.enforcement !== 'advisory')!;
          throw new DomainError('PRECONDITION_FAILED', `version ${version} has ${evaluated.blocking} guardrail failure(s) not waived or overridden (first: ${first.policyName} on ${first.componentId ?? 'the design'}): it cannot be approved`, 'id');
        }
        if (burn?.level === 'alert') {
          throw new DomainError('PRECONDITION_FAILED', `version ${version} would take project ${burn.budget.projectName} to $${burn.projected.toFixed(2)} a month, past its budget of $${burn.budget.amount.toFixed(2)} (alert at ${burn.budget.alertPercent}%): it cannot be approved`, 'id');
        }
        evaluation = evaluated;
      }
      const result = await ctx.tx(async (tx) => {
        const b = await lockLifecycle(tx, { tenantId, id: input.id });
        if (b.status !== 'review' || b.reviewVersion !== version) throw new DomainError('CONFLICT', 'the review changed meanwhile; reload', 'id');
        const author = await versionAuthor(tx, { tenantId, blueprintId: input.id, number: version, field: 'id' });
        if (author === ctx.user.id) throw new DomainError('FORBIDDEN', `you wrote version ${version}: another reviewer must decide`, 'id');
        const status = input.decision === 'approve' ? ('approved' as const) : ('draft' as const);
        await setLifecycle(tx, { tenantId, id: input.id, status, reviewVersion: null, approvedVersion: input.decision === 'approve' ? version : b.approvedVersion });
        if (evaluation) await insertEvaluation(tx, { tenantId, blueprintId: input.id, version, score: evaluation.score, passed: evaluation.passed, blocking: evaluation.blocking, findings: evaluation.findings, evaluatedBy: ctx.user.id });
        await recordEvent(tx, { action: input.decision === 'approve' ? 'blueprint.approve' : 'blueprint.reject', targetType: 'blueprint', targetId: input.id, before: { status: 'review' }, after: { status, version, comment: input.comment, ...(evaluation ? { score: evaluation.score } : {}) } });
        return { place: b, status };
      });
      await ctx.cache.invalidate(transitionTags(input.id, result.place, result.status));
      return { status: result.status, version, score: evaluation?.score ?? null };
    }),

  deprecate: permission('blueprint', 'manage')
    .input(z.object({ id: ZId, comment: ZComment.min(1, { error: 'say why it is deprecated' }) }))
    .output(z.object({ status: z.literal('deprecated') }))
    .mutation(async ({ ctx, input }) => {
      const place = await ctx.tx(async (tx) => {
        const b = await lockLifecycle(tx, { tenantId: ctx.tenant.id, id: input.id });
        if (b.status === 'deprecated') throw new DomainError('CONFLICT', 'the blueprint is already deprecated', 'id');
        await setLifecycle(tx, { tenantId: ctx.tenant.id, id: input.id, status: 'deprecated', reviewVersion: null, approvedVersion: b.approvedVersion });
        await recordEvent(tx, { action: 'blueprint.deprecate', targetType: 'blueprint', targetId: input.id, before: { status: b.status }, after: { status: 'deprecated', comment: input.comment } });
        return b;
      });
      await ctx.cache.invalidate(transitionTags(input.id, place, 'deprecated'));
      return { status: 'deprecated' as const };
    }),
};
