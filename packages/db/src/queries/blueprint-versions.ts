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

type TVersionRow = Omit<TVersionSummary, 'createdAt'> & { createdAt: Date };

/** A blueprint's versions, newest first, built and not yet run (pipelined by `readInTenant`); `toVersions` maps them. */
export function versionsStatement(tx: TExecutor, { tenantId, blueprintId, limit = 100 }: { tenantId: string; blueprintId: string; limit?: number }) {
  return tx
    .select(versionColumns)
    .from(blueprintVersions)
    .leftJoin(parent, eq(parent.id, blueprintVersions.parentId))
    .leftJoin(users, eq(users.id, blueprintVersions.authorId))
    .where(and(eq(blueprintVersions.tenantId, tenantId), eq(blueprintVersions.blueprintId, blueprintId)))
    .orderBy(desc(blueprintVersions.number))
    .limit(limit);
}

export const toVersions = (rows: readonly TVersionRow[]): TVersionSummary[] => rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));

export async function listBlueprintVersions(tx: TExecutor, args: { tenantId: string; blueprintId: string; limit?: number }): Promise<TVersionSummary[]> {
  return toVersions(await versionsStatement(tx, args));
}

/** One version with its graph, built and not yet run; `toVersion` maps it, or names `field` when there is none. */
export function versionStatement(tx: TExecutor, { tenantId, blueprintId, number }: { tenantId: string; blueprintId: string; number: number }) {
  return tx
    .select({ ...versionColumns, graph: blueprintVersions.graph })
    .from(blueprintVersions)
    .leftJoin(parent, eq(parent.id, blueprintVersions.parentId))
    .leftJoin(users, eq(users.id, blueprintVersions.authorId))
    .where(and(eq(blueprintVersions.tenantId, tenantId), eq(blueprintVersions.blueprintId, blueprintId), eq(blueprintVersions.number, number)));
}

export function toVersion(rows: readonly (TVersionRow & { graph: TBlueprintGraph })[], number: number, field = 'number'): TVersionDetail {
  const [row] = rows;
  if (!row) throw notFound(`version ${number} of the blueprint`, field);
  return { ...row, createdAt: iso(row.createdAt) };
}

export async function getBlueprintVersion(
  tx: TExecutor,
  { tenantId, blueprintId, number, field = 'number' }: { tenantId: string; blueprintId: string; number: number; field?: string },
): Promise<TVersionDetail> {
  return toVersion(await versionStatement(tx, { tenantId, blueprintId, number }), number, field);
}
