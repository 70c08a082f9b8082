import { z } from 'zod';
import { recordEvent } from '@dharma/db/queries/audit';
import { DomainError } from '@dharma/db/errors';
import { deletePolicy, evaluationsStatement, exemptionForUpdate, exemptionsStatement, insertEvaluation, insertExemption, savePolicy, setExemption, type TExemptionRow } from '@dharma/db/queries/guardrails';
import { evaluate, isExemptionActive } from '@dharma/guardrails/evaluate';
import { compileExpression, PolicyCompileError, type TPolicy } from '@dharma/guardrails/policy';
import { readVersion } from '../../domain/blueprints/read-version';
import { costFactsOf, evaluationOf, libraryOf, policyOf, toExemption } from '../../domain/guardrails/evaluation';
import { permission, router } from '../../trpc/procedures';
import { assertReadable } from '../blueprints/blueprint-access';
import { ZVersionInput, ZBlueprintIdInput } from '../blueprints/blueprints.schema';
import { ZEvaluation, ZExemption, ZExemptionIdInput, ZOverrideInput, ZPolicy, ZPolicyInput, ZWaiverInput } from './guardrails.schema';

const MAX_WAIVER_DAYS = 366;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Compiles a policy's expressions, or refuses it naming the field and CEL's reason (line and column). */
function assertCompiles(p: { expression: string; when: string | null }) {
  try {
    compileExpression(p.expression, 'expression');
    if (p.when) compileExpression(p.when, 'when');
  } catch (error) {
    if (error instanceof PolicyCompileError) throw new DomainError('BAD_REQUEST', error.message, error.field);
    throw error;
  }
}

function statusOf(e: TExemptionRow, library: readonly TPolicy[], now: Date): z.infer<typeof ZExemption>['status'] {
  if (e.revokedAt) return 'revoked';
  if (e.expiresAt && e.expiresAt <= now) return 'expired';
  if (e.kind === 'waiver' && !e.approvedBy) return 'pending';
  const policy = library.find((p) => p.key === e.policyKey);
  return policy && isExemptionActive(toExemption(e), policy, now) ? 'active' : 'expired';
}

/**
 * Guardrails: the tenant's policy library (the defaults, its changes, its own), evaluation of a version, waivers
 * (asked with a reason and an expiry, approved by someone else) and overrides of soft policies. Every change is an
 * audit event in the same transaction.
 */
export const guardrailsRouter = router({
  policies: permission('guardrail', 'read')
    .output(z.array(ZPolicy))
    .query(async ({ ctx }) => (await libraryOf(ctx)).map((p) => ({ ...p, when: p.when ?? null, kinds: [...p.kinds] }))),

  /** Creates a policy or changes one (a default's change is kept under its key); refused while it does not compile. */
  savePolicy: permission('guardrail', 'manage')
    .input(ZPolicyInput)
    .output(z.object({ key: z.string() }))
    .mutation(async ({ ctx, input }) => {
      assertCompiles(input);
      await ctx.tx(async (tx) => {
        const before = await savePolicy(tx, { tenantId: ctx.tenant.id, userId: ctx.user.id, policy: input });
        await recordEvent(tx, { action: 'guardrail.policy_save', targetType: 'policy', targetId: input.key, before, after: input });
      });
      return { key: input.key };
    }),

  /** Drops the tenant's row of a key: a default policy is back to the library's, a custom one is gone. */
  resetPolicy: permission('guardrail', 'manage')
    .input(z.object({ key: z.string().min(1, { error: 'must name a policy' }).max(63) }))
    .output(z.object({ key: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx(async (tx) => {
        const removed = await deletePolicy(tx, { tenantId: ctx.tenant.id, key: input.key });
        await recordEvent(tx, { action: 'guardrail.policy_reset', targetType: 'policy', targetId: input.key, before: removed });
      });
      return { key: input.key };
    }),

  /** A policy as written (saved or not) against one version: what an admin checks before saving it. */
  testPolicy: permission('guardrail', 'read')
    .input(ZVersionInput.extend({ policy: ZPolicyInput }))
    .output(ZEvaluation)
    .query(async ({ ctx, input }) => {
      assertCompiles(input.policy);
      const read = await readVersion(ctx, input);
      const { facts } = await costFactsOf(ctx, read, input.id);
      return { version: input.number, ...evaluate(read.version.graph, [{ ...input.policy, when: input.policy.when ?? undefined }], [], new Date(), { name: read.name, cost: facts }) };
    }),

  /** A version against the tenant's library now (nothing recorded). */
  evaluation: permission('guardrail', 'read').input(ZVersionInput).output(ZEvaluation).query(({ ctx, input }) => evaluationOf(ctx, input)),

  /** Evaluates a version and records the result (score, findings, exemptions then in force). */
  evaluate: permission('guardrail', 'read')
    .input(ZVersionInput)
    .output(ZEvaluation.extend({ id: z.string(), evaluatedAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const result = await evaluationOf(ctx, input);
      const row = await ctx.tx(async (tx) => {
        const saved = await insertEvaluation(tx, { tenantId: ctx.tenant.id, blueprintId: input.id, version: input.number, score: result.score, passed: result.passed, blocking: result.blocking, findings: result.findings, evaluatedBy: ctx.user.id });
        await recordEvent(tx, { action: 'guardrail.evaluate', targetType: 'blueprint', targetId: input.id, after: { version: input.number, score: result.score, passed: result.passed, blocking: result.blocking } });
        return saved;
      });
      return { ...result, id: row.id, evaluatedAt: row.evaluatedAt.toISOString() };
    }),

  /** A blueprint's exemptions with their status now, and its recorded evaluations. */
  exemptions: permission('guardrail', 'read')
    .input(ZBlueprintIdInput)
    .output(z.object({ exemptions: z.array(ZExemption), evaluations: z.array(z.object({ id: z.string(), version: z.number(), score: z.number(), passed: z.boolean(), blocking: z.number(), evaluatedAt: z.string(), evaluatedBy: z.string().nullable() })) }))
    .query(async ({ ctx, input }) => {
      await assertReadable(ctx, input.id, { mustExist: true });
      const [library, [rows, evaluations]] = await Promise.all([libraryOf(ctx), ctx.read((db) => [exemptionsStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id }), evaluationsStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id })])]);
      const now = new Date();
      return {
        exemptions: rows.map((e) => ({ ...e, approvedAt: iso(e.approvedAt), expiresAt: iso(e.expiresAt), revokedAt: iso(e.revokedAt), createdAt: e.createdAt.toISOString(), status: statusOf(e, library, now) })),
        evaluations: evaluations.map((e) => ({ ...e, evaluatedAt: e.evaluatedAt.toISOString() })),
      };
    }),

  /** Asks to exempt a blueprint from a policy until a date, with a reason; in force once someone else approves it. */
  requestWaiver: permission('blueprint', 'update')
    .input(ZWaiverInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const expires = new Date(input.expiresAt);
      const now = Date.now();
      if (expires.getTime() <= now) throw new DomainError('BAD_REQUEST', 'must be in the future', 'expiresAt');
      if (expires.getTime() > now + MAX_WAIVER_DAYS * 86_400_000) throw new DomainError('BAD_REQUEST', `must be within ${MAX_WAIVER_DAYS} days`, 'expiresAt');
      await assertReadable(ctx, input.id, { mustExist: true });
      await policyOf(ctx, input.policyKey);
      return ctx.tx(async (tx) => {
        const row = await insertExemption(tx, { tenantId: ctx.tenant.id, blueprintId: input.id, policyKey: input.policyKey, kind: 'waiver', reason: input.reason, requestedBy: ctx.user.id, approvedBy: null, expiresAt: expires });
        await recordEvent(tx, { action: 'guardrail.waiver_request', targetType: 'blueprint', targetId: input.id, after: { exemptionId: row.id, policyKey: input.policyKey, reason: input.reason, expiresAt: input.expiresAt } });
        return { id: row.id };
      });
    }),

  /** Approves a pending waiver; nobody approves their own. */
  approveWaiver: permission('guardrail', 'manage')
    .input(ZExemptionIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.tx(async (tx) => {
        const e = await exemptionForUpdate(tx, { tenantId: ctx.tenant.id, id: input.exemptionId });
        if (e.kind !== 'waiver') throw new DomainError('BAD_REQUEST', 'an override needs no approval', 'exemptionId');
        if (e.revokedAt || e.approvedBy) throw new DomainError('CONFLICT', `this waiver is already ${e.revokedAt ? 'revoked' : 'approved'}`, 'exemptionId');
        if (e.expiresAt && e.expiresAt <= new Date()) throw new DomainError('PRECONDITION_FAILED', 'this waiver has expired; ask for a new one', 'exemptionId');
        if (e.requestedBy === ctx.user.id) throw new DomainError('FORBIDDEN', 'nobody approves their own waiver: ask another approver', 'exemptionId');
        await setExemption(tx, { tenantId: ctx.tenant.id, id: e.id, approvedBy: ctx.user.id });
        await recordEvent(tx, { action: 'guardrail.waiver_approve', targetType: 'blueprint', targetId: e.blueprintId, after: { exemptionId: e.id, policyKey: e.policyKey } });
        return { id: e.id };
      }),
    ),

  /** Overrides a soft policy on a blueprint with a reason, at once; a hard policy takes a waiver instead. */
  override: permission('guardrail', 'override')
    .input(ZOverrideInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await assertReadable(ctx, input.id, { mustExist: true });
      const policy = await policyOf(ctx, input.policyKey);
      if (policy.enforcement !== 'soft') throw new DomainError('BAD_REQUEST', `policy ${policy.key} is ${policy.enforcement}: only soft policies can be overridden${policy.enforcement === 'hard' ? '; ask for a waiver' : ''}`, 'policyKey');
      return ctx.tx(async (tx) => {
        const row = await insertExemption(tx, { tenantId: ctx.tenant.id, blueprintId: input.id, policyKey: input.policyKey, kind: 'override', reason: input.reason, requestedBy: ctx.user.id, approvedBy: ctx.user.id, expiresAt: null });
        await recordEvent(tx, { action: 'guardrail.override', targetType: 'blueprint', targetId: input.id, after: { exemptionId: row.id, policyKey: input.policyKey, reason: input.reason } });
        return { id: row.id };
      });
    }),

  /** Ends an exemption: the policy applies again from the next evaluation. */
  revokeExemption: permission('guardrail', 'manage')
    .input(ZExemptionIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.tx(async (tx) => {
        const e = await exemptionForUpdate(tx, { tenantId: ctx.tenant.id, id: input.exemptionId });
        if (e.revokedAt) throw new DomainError('CONFLICT', 'this exemption is already revoked', 'exemptionId');
        await setExemption(tx, { tenantId: ctx.tenant.id, id: e.id, revoked: true });
        await recordEvent(tx, { action: 'guardrail.exemption_revoke', targetType: 'blueprint', targetId: e.blueprintId, before: { exemptionId: e.id, policyKey: e.policyKey, kind: e.kind } });
        return { id: e.id };
      }),
    ),
});
