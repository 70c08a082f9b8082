import { and, count, desc, eq, ilike, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { TBlueprintGraph } from '../blueprint-graph';
import type { TExecutor } from '../client';
import { conflict, DomainError, notFound, pgErrorCode } from '../errors';
import { blueprints, blueprintVersions, type BLUEPRINT_STATUSES } from '../schema/blueprints';
import type { CLOUD_VALUES } from '../schema/projects';
import { projects } from '../schema/projects';
import { users } from '../schema/tenancy';
import { projectExists } from './projects';
import { iso, isoOrNull } from './iso';
import { canonicalGraph, graphHash } from '../graph-hash';

export type TBlueprintStatus = (typeof BLUEPRINT_STATUSES)[number];
export type TCloud = (typeof CLOUD_VALUES)[number];

export interface TBlueprintSummary {
  id: string;
  projectId: string;
  projectName: string;
  name: string;
  description: string;
  cloud: TCloud;
  status: TBlueprintStatus;
  currentVersion: number;
  componentCount: number;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/** Where a blueprint sits for list filters: what a mutation reports so that only the lists it can change are invalidated. */
export interface TBlueprintListPlace {
  projectId: string;
  cloud: TCloud;
  status: TBlueprintStatus;
}

export interface TBlueprintDetail extends TBlueprintSummary {
  graph: TBlueprintGraph;
  graphHash: string;
}

export interface TListBlueprintsArgs {
  tenantId: string;
  search?: string;
  projectId?: string;
  cloud?: TCloud;
  status?: TBlueprintStatus;
  archived?: 'live' | 'archived' | 'all';
  page: number;
  pageSize: number;
}

const summaryColumns = {
  id: blueprints.id,
  projectId: blueprints.projectId,
  projectName: projects.name,
  name: blueprints.name,
  description: blueprints.description,
  cloud: blueprints.cloud,
  status: blueprints.status,
  currentVersion: blueprints.currentVersion,
  componentCount: blueprintVersions.componentCount,
  createdBy: blueprints.createdBy,
  createdByName: users.name,
  createdAt: blueprints.createdAt,
  updatedAt: blueprints.updatedAt,
  archivedAt: blueprints.archivedAt,
};

type TSummaryRow = Omit<TBlueprintSummary, 'createdAt' | 'updatedAt' | 'archivedAt' | 'projectName'> & {
  projectName: string | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
};

function toSummary(r: TSummaryRow): TBlueprintSummary {
  return {
    ...r,
    projectName: r.projectName ?? '',
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    archivedAt: isoOrNull(r.archivedAt),
  };
}

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The two statements of a list page (the rows and the total), built and not yet run, so they can be pipelined
 * (`readInTenant`) or awaited in a transaction (`listBlueprints`). `toBlueprintList` turns their results into the page.
 */
export function listBlueprintsQueries(tx: TExecutor, args: TListBlueprintsArgs) {
  const where: SQL[] = [eq(blueprints.tenantId, args.tenantId)];
  if (args.search) where.push(ilike(blueprints.name, `%${likeLiteral(args.search)}%`));
  if (args.projectId) where.push(eq(blueprints.projectId, args.projectId));
  if (args.cloud) where.push(eq(blueprints.cloud, args.cloud));
  if (args.status) where.push(eq(blueprints.status, args.status));
  const archived = args.archived ?? 'live';
  if (archived === 'live') where.push(isNull(blueprints.archivedAt));
  if (archived === 'archived') where.push(isNotNull(blueprints.archivedAt));
  const filter = and(...where);

  return [
    tx
      .select(summaryColumns)
      .from(blueprints)
      .innerJoin(projects, and(eq(projects.tenantId, blueprints.tenantId), eq(projects.id, blueprints.projectId)))
      .innerJoin(blueprintVersions, and(eq(blueprintVersions.blueprintId, blueprints.id), eq(blueprintVersions.number, blueprints.currentVersion)))
      .leftJoin(users, eq(users.id, blueprints.createdBy))
      .where(filter)
      .orderBy(desc(blueprints.updatedAt), desc(blueprints.id))
      .limit(args.pageSize)
      .offset((args.page - 1) * args.pageSize),
    tx.select({ total: count() }).from(blueprints).where(filter),
  ] as const;
}

export function toBlueprintList([rows, [totalRow]]: [TSummaryRow[], { total: number }[]]): { items: TBlueprintSummary[]; total: number } {
  return { items: rows.map(toSummary), total: totalRow?.total ?? 0 };
}

export async function listBlueprints(tx: TExecutor, args: TListBlueprintsArgs): Promise<{ items: TBlueprintSummary[]; total: number }> {
  const [rows, total] = listBlueprintsQueries(tx, args);
  return toBlueprintList(await Promise.all([rows, total]));
}

/** A row of `blueprint_detail(id)` (migration 0003): timestamps arrive as Postgres text, the graph parsed. */
interface TBlueprintDetailRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  project_name: string;
  name: string;
  description: string;
  cloud: TCloud;
  status: TBlueprintStatus;
  current_version: number;
  component_count: number;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  graph: TBlueprintGraph;
  graph_hash: string;
}

/**
 * The statement of one blueprint with its current graph, built and not yet run; `toBlueprintDetail` maps its rows.
 * It calls the PL/pgSQL function `blueprint_detail` (migration 0003), whose plan Postgres keeps per connection:
 * the join it runs is what `listBlueprintsQueries` selects, with the graph. Row-level security scopes it to the
 * transaction's tenant.
 */
export function blueprintDetailQuery(tx: TExecutor, { id }: { id: string }) {
  return tx.execute<TBlueprintDetailRow>(sql`select * from blueprint_detail(${id})`);
}

const pgTimestamp = (text: string) => new Date(text).toISOString();

export function toBlueprintDetail(rows: readonly TBlueprintDetailRow[]): TBlueprintDetail {
  const [r] = rows;
  if (!r) throw notFound('blueprint', 'id');
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    name: r.name,
    description: r.description,
    cloud: r.cloud,
    status: r.status,
    currentVersion: r.current_version,
    componentCount: r.component_count,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: pgTimestamp(r.created_at),
    updatedAt: pgTimestamp(r.updated_at),
    archivedAt: r.archived_at === null ? null : pgTimestamp(r.archived_at),
    graph: r.graph,
    graphHash: r.graph_hash,
  };
}

export async function getBlueprint(tx: TExecutor, args: { id: string }): Promise<TBlueprintDetail> {
  return toBlueprintDetail(await blueprintDetailQuery(tx, args));
}

/** Maps a unique-name violation to a CONFLICT on `name`; anything else propagates. */
function rethrowNameConflict(error: unknown): never {
  if (pgErrorCode(error) === '23505') throw conflict('a live blueprint with this name already exists in the project', 'name');
  throw error;
}

export interface TCreateBlueprintArgs {
  tenantId: string;
  projectId: string;
  name: string;
  description: string;
  cloud: TCloud;
  graph: TBlueprintGraph;
  message: string;
  authorId: string | null;
}

/** Inserts the blueprint and its version 1 together; call inside a transaction. */
export async function createBlueprint(tx: TExecutor, args: TCreateBlueprintArgs): Promise<{ id: string; version: number }> {
  if (!(await projectExists(tx, { tenantId: args.tenantId, projectId: args.projectId }))) throw notFound('project', 'projectId');
  const [bp] = await tx
    .insert(blueprints)
    .values({
      tenantId: args.tenantId,
      projectId: args.projectId,
      name: args.name,
      description: args.description,
      cloud: args.cloud,
      createdBy: args.authorId,
    })
    .returning({ id: blueprints.id })
    .catch(rethrowNameConflict);
  if (!bp) throw new Error('insert returned no row');
  await insertVersion(tx, { tenantId: args.tenantId, blueprintId: bp.id, number: 1, parentId: null, graph: args.graph, message: args.message, authorId: args.authorId });
  return { id: bp.id, version: 1 };
}

async function insertVersion(
  tx: TExecutor,
  v: { tenantId: string; blueprintId: string; number: number; parentId: string | null; graph: TBlueprintGraph; message: string; authorId: string | null },
) {
  const graph = canonicalGraph(v.graph);
  const hash = graphHash(graph);
  await tx.insert(blueprintVersions).values({
    tenantId: v.tenantId,
    blueprintId: v.blueprintId,
    number: v.number,
    parentId: v.parentId,
    message: v.message,
    authorId: v.authorId,
    graph,
    graphHash: hash,
    componentCount: graph.components.length,
    relationCount: graph.relations.length,
  });
  return hash;
}

export interface TSaveVersionArgs {
  tenantId: string;
  blueprintId: string;
  /** The version the editor started from: a save on top of a newer version is a conflict, not a silent overwrite. */
  baseVersion: number;
  graph: TBlueprintGraph;
  message: string;
  authorId: string | null;
  name?: string;
  description?: string;
}

export async function saveBlueprintVersion(tx: TExecutor, args: TSaveVersionArgs): Promise<{ version: number; graphHash: string; place: TBlueprintListPlace }> {
  // Lock the blueprint row alone: FOR UPDATE on a join re-checks the join after a competing commit and would drop
  // the row (the old current version no longer matches), turning a conflict into a false "not found".
  const [current] = await tx
    .select({
      currentVersion: blueprints.currentVersion,
      archivedAt: blueprints.archivedAt,
      projectId: blueprints.projectId,
      cloud: blueprints.cloud,
      status: blueprints.status,
    })
    .from(blueprints)
    .where(and(eq(blueprints.tenantId, args.tenantId), eq(blueprints.id, args.blueprintId)))
    .for('update');
  if (!current) throw notFound('blueprint', 'blueprintId');
  if (current.archivedAt) throw new DomainError('PRECONDITION_FAILED', 'blueprint is archived; restore it before saving a version', 'blueprintId');
  if (current.currentVersion !== args.baseVersion) {
    throw conflict(`blueprint is at version ${current.currentVersion}, not ${args.baseVersion}: reload and re-apply your changes`, 'baseVersion');
  }
  const [parent] = await tx
    .select({ id: blueprintVersions.id })
    .from(blueprintVersions)
    .where(and(eq(blueprintVersions.blueprintId, args.blueprintId), eq(blueprintVersions.number, current.currentVersion)));
  const number = current.currentVersion + 1;
  const hash = await insertVersion(tx, { tenantId: args.tenantId, blueprintId: args.blueprintId, number, parentId: parent?.id ?? null, graph: args.graph, message: args.message, authorId: args.authorId });
  await tx
    .update(blueprints)
    .set({
      currentVersion: number,
      updatedAt: new Date(),
      ...(args.name !== undefined ? { name: args.name } : {}),
      ...(args.description !== undefined ? { description: args.description } : {}),
    })
    .where(and(eq(blueprints.tenantId, args.tenantId), eq(blueprints.id, args.blueprintId)))
    .catch(rethrowNameConflict);
  return { version: number, graphHash: hash, place: { projectId: current.projectId, cloud: current.cloud, status: current.status } };
}

export async function setBlueprintArchived(
  tx: TExecutor,
  { tenantId, id, archived }: { tenantId: string; id: string; archived: boolean },
): Promise<{ archivedAt: string | null; place: TBlueprintListPlace }> {
  const [row] = await tx
    .update(blueprints)
    .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id)))
    .returning({ archivedAt: blueprints.archivedAt, projectId: blueprints.projectId, cloud: blueprints.cloud, status: blueprints.status })
    .catch(rethrowNameConflict);
  if (!row) throw notFound('blueprint', 'id');
  const { archivedAt, ...place } = row;
  return { archivedAt: isoOrNull(archivedAt), place };
}

export async function getBlueprintOwner(tx: TExecutor, { tenantId, id }: { tenantId: string; id: string }): Promise<string | null> {
  const [row] = await tx
    .select({ createdBy: blueprints.createdBy })
    .from(blueprints)
    .where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id)));
  if (!row) throw notFound('blueprint', 'id');
  return row.createdBy;
}
