import { and, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { TBlueprintGraph } from '../blueprint-graph';
import type { TExecutor } from '../client';
import { notFound } from '../errors';
import { blueprintVersions } from '../schema/blueprints';
import { users } from '../schema/tenancy';
import { iso } from './iso';

export interface TVersionSummary {
  id: string;
  number: number;
  parentNumber: number | null;
  message: string;
  authorId: string | null;
  authorName: string | null;
  graphHash: string;
  componentCount: number;
  relationCount: number;
  createdAt: string;
}

export interface TVersionDetail extends TVersionSummary {
  graph: TBlueprintGraph;
}

const parent = alias(blueprintVersions, 'parent');

const versionColumns = {
  id: blueprintVersions.id,
  number: blueprintVersions.number,
  parentNumber: parent.number,
  message: blueprintVersions.message,
  authorId: blueprintVersions.authorId,
  authorName: users.name,
  graphHash: blueprintVersions.graphHash,
  componentCount: blueprintVersions.componentCount,
  relationCount: blueprintVersions.relationCount,
  createdAt: blueprintVersions.createdAt,
};

export async function listBlueprintVersions(
  tx: TExecutor,
  { tenantId, blueprintId, limit = 100 }: { tenantId: string; blueprintId: string; limit?: number },
): Promise<TVersionSummary[]> {
  const rows = await tx
    .select(versionColumns)
    .from(blueprintVersions)
    .leftJoin(parent, eq(parent.id, blueprintVersions.parentId))
    .leftJoin(users, eq(users.id, blueprintVersions.authorId))
    .where(and(eq(blueprintVersions.tenantId, tenantId), eq(blueprintVersions.blueprintId, blueprintId)))
    .orderBy(desc(blueprintVersions.number))
    .limit(limit);
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

export async function getBlueprintVersion(
  tx: TExecutor,
  { tenantId, blueprintId, number, field = 'number' }: { tenantId: string; blueprintId: string; number: number; field?: string },
): Promise<TVersionDetail> {
  const [row] = await tx
    .select({ ...versionColumns, graph: blueprintVersions.graph })
    .from(blueprintVersions)
    .leftJoin(parent, eq(parent.id, blueprintVersions.parentId))
    .leftJoin(users, eq(users.id, blueprintVersions.authorId))
    .where(and(eq(blueprintVersions.tenantId, tenantId), eq(blueprintVersions.blueprintId, blueprintId), eq(blueprintVersions.number, number)));
  if (!row) throw notFound(`version ${number} of the blueprint`, field);
  return { ...row, createdAt: iso(row.createdAt) };
}
