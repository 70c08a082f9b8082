import { and, eq } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { notFound } from '../errors';
import { blueprints, blueprintVersions, type BLUEPRINT_STATUSES } from '../schema/blueprints';

export type TBlueprintStatus = (typeof BLUEPRINT_STATUSES)[number];

const lifecycleColumns = {
  id: blueprints.id,
  projectId: blueprints.projectId,
  cloud: blueprints.cloud,
  status: blueprints.status,
  currentVersion: blueprints.currentVersion,
  reviewVersion: blueprints.reviewVersion,
  approvedVersion: blueprints.approvedVersion,
  archivedAt: blueprints.archivedAt,
};

/** A blueprint's lifecycle state, for reading. */
export function lifecycleStatement(db: TExecutor, { tenantId, id }: { tenantId: string; id: string }) {
  return db.select(lifecycleColumns).from(blueprints).where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id)));
}

/** The same, locked for a transition (transitions of one blueprint take turns). */
export async function lockLifecycle(tx: TExecutor, { tenantId, id }: { tenantId: string; id: string }) {
  const [row] = await tx.select(lifecycleColumns).from(blueprints).where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id))).for('update');
  if (!row) throw notFound('blueprint', 'id');
  return row;
}

/** Who wrote a version, or not found naming `field`. */
export async function versionAuthor(tx: TExecutor, { tenantId, blueprintId, number, field }: { tenantId: string; blueprintId: string; number: number; field: string }) {
  const [row] = await tx.select({ authorId: blueprintVersions.authorId }).from(blueprintVersions).where(and(eq(blueprintVersions.tenantId, tenantId), eq(blueprintVersions.blueprintId, blueprintId), eq(blueprintVersions.number, number)));
  if (!row) throw notFound(`version ${number} of the blueprint`, field);
  return row.authorId;
}

export async function setLifecycle(tx: TExecutor, { tenantId, id, status, reviewVersion, approvedVersion }: { tenantId: string; id: string; status: TBlueprintStatus; reviewVersion: number | null; approvedVersion: number | null }) {
  await tx.update(blueprints).set({ status, reviewVersion, approvedVersion, updatedAt: new Date() }).where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id)));
}
