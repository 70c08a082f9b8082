import { and, desc, eq, sql } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { notFound } from '../errors';
import { guardrailEvaluations, guardrailExemptions, guardrailPolicies } from '../schema/guardrails';
import { users } from '../schema/tenancy';

/** A tenant's own policy rows (its policies and its changes to the default library's), by key. */
export function tenantPoliciesStatement(db: TExecutor, { tenantId }: { tenantId: string }) {
  return db
    .select({
      key: guardrailPolicies.key,
      name: guardrailPolicies.name,
      description: guardrailPolicies.description,
      severity: guardrailPolicies.severity,
      enforcement: guardrailPolicies.enforcement,
      target: guardrailPolicies.target,
      kinds: guardrailPolicies.kinds,
      when: guardrailPolicies.when,
      expression: guardrailPolicies.expression,
      message: guardrailPolicies.message,
      enabled: guardrailPolicies.enabled,
      updatedAt: guardrailPolicies.updatedAt,
    })
    .from(guardrailPolicies)
    .where(eq(guardrailPolicies.tenantId, tenantId))
    .orderBy(guardrailPolicies.key);
}
export type TPolicyRow = Awaited<ReturnType<typeof tenantPoliciesStatement>>[number];

export type TPolicyInput = Omit<TPolicyRow, 'updatedAt' | 'when'> & { when: string | null };

/** Creates or replaces the tenant's policy of this key; the previous row (null when new), for the audit event. */
export async function savePolicy(tx: TExecutor, { tenantId, userId, policy }: { tenantId: string; userId: string | null; policy: TPolicyInput }) {
  const [before] = await tx.select().from(guardrailPolicies).where(and(eq(guardrailPolicies.tenantId, tenantId), eq(guardrailPolicies.key, policy.key))).for('update');
  const values = { ...policy, tenantId, updatedBy: userId, updatedAt: new Date() };
  await tx.insert(guardrailPolicies).values(values).onConflictDoUpdate({ target: [guardrailPolicies.tenantId, guardrailPolicies.key], set: values });
  return before ?? null;
}

/** Removes the tenant's row of this key (a custom policy, or its change to a default one); the removed row. */
export async function deletePolicy(tx: TExecutor, { tenantId, key }: { tenantId: string; key: string }) {
  const [removed] = await tx.delete(guardrailPolicies).where(and(eq(guardrailPolicies.tenantId, tenantId), eq(guardrailPolicies.key, key))).returning();
  if (!removed) throw notFound(`policy ${key} has no tenant change`, 'key');
  return removed;
}

const exemptionColumns = {
  id: guardrailExemptions.id,
  blueprintId: guardrailExemptions.blueprintId,
  policyKey: guardrailExemptions.policyKey,
  kind: guardrailExemptions.kind,
  reason: guardrailExemptions.reason,
  requestedBy: guardrailExemptions.requestedBy,
  approvedBy: guardrailExemptions.approvedBy,
  approvedAt: guardrailExemptions.approvedAt,
  expiresAt: guardrailExemptions.expiresAt,
  revokedAt: guardrailExemptions.revokedAt,
  createdAt: guardrailExemptions.createdAt,
};

export function exemptionsStatement(db: TExecutor, { tenantId, blueprintId }: { tenantId: string; blueprintId: string }) {
  return db.select(exemptionColumns).from(guardrailExemptions).where(and(eq(guardrailExemptions.tenantId, tenantId), eq(guardrailExemptions.blueprintId, blueprintId))).orderBy(desc(guardrailExemptions.createdAt));
}
export type TExemptionRow = Awaited<ReturnType<typeof exemptionsStatement>>[number];

export async function insertExemption(tx: TExecutor, e: { tenantId: string; blueprintId: string; policyKey: string; kind: 'waiver' | 'override'; reason: string; requestedBy: string | null; approvedBy: string | null; expiresAt: Date | null }) {
  const [row] = await tx
    .insert(guardrailExemptions)
    .values({ ...e, approvedAt: e.approvedBy ? new Date() : null })
    .returning(exemptionColumns);
  return row!;
}

/** One exemption, locked for a decision on it. */
export async function exemptionForUpdate(tx: TExecutor, { tenantId, id }: { tenantId: string; id: string }) {
  const [row] = await tx.select(exemptionColumns).from(guardrailExemptions).where(and(eq(guardrailExemptions.tenantId, tenantId), eq(guardrailExemptions.id, id))).for('update');
  if (!row) throw notFound('exemption', 'exemptionId');
  return row;
}

export async function setExemption(tx: TExecutor, { tenantId, id, approvedBy, revoked }: { tenantId: string; id: string; approvedBy?: string; revoked?: boolean }) {
  const [row] = await tx
    .update(guardrailExemptions)
    .set({ ...(approvedBy ? { approvedBy, approvedAt: new Date() } : {}), ...(revoked ? { revokedAt: sql`now()` } : {}) })
    .where(and(eq(guardrailExemptions.tenantId, tenantId), eq(guardrailExemptions.id, id)))
    .returning(exemptionColumns);
  return row!;
}

export async function insertEvaluation(tx: TExecutor, e: { tenantId: string; blueprintId: string; version: number; score: number; passed: boolean; blocking: number; findings: unknown[]; evaluatedBy: string | null }) {
  const [row] = await tx.insert(guardrailEvaluations).values(e).returning({ id: guardrailEvaluations.id, evaluatedAt: guardrailEvaluations.evaluatedAt });
  return row!;
}

/** The recorded evaluations of a blueprint, newest first, with who ran them. */
export function evaluationsStatement(db: TExecutor, { tenantId, blueprintId, limit = 20 }: { tenantId: string; blueprintId: string; limit?: number }) {
  return db
    .select({ id: guardrailEvaluations.id, version: guardrailEvaluations.version, score: guardrailEvaluations.score, passed: guardrailEvaluations.passed, blocking: guardrailEvaluations.blocking, evaluatedAt: guardrailEvaluations.evaluatedAt, evaluatedBy: users.name })
    .from(guardrailEvaluations)
    .leftJoin(users, eq(users.id, guardrailEvaluations.evaluatedBy))
    .where(and(eq(guardrailEvaluations.tenantId, tenantId), eq(guardrailEvaluations.blueprintId, blueprintId)))
    .orderBy(desc(guardrailEvaluations.evaluatedAt))
    .limit(limit);
}
