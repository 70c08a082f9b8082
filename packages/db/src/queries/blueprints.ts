import { and, count, desc, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { TBlueprintGraph } from '../blueprint-graph';
import type { TExecutor } from '../client';
import { recordEvent } from './audit';
import { conflict, domainErrorFromPg, IdempotencyRace, notFound, pgErrorCode, pgErrorField } from '../errors';
import { blueprints, blueprintVersions, type BLUEPRINT_STATUSES } from '../schema/blueprints';
import type { CLOUD_VALUES } from '../schema/projects';
import { projects } from '../schema/projects';
import { users } from '../schema/tenancy';
import { iso, isoOrNull } from './iso';
import { storedGraph } from '../graph-hash';

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
  /** Only these rows (own or team scope): created by `ownerId`, or in a project of one of `teamIds`. */
  within?: { ownerId: string; teamIds: readonly string[] } | null;
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

/** Blueprint list rows (the summary of each, current version's counts, project and author names) matching `filter`. */
function summaries(tx: TExecutor, filter: SQL | undefined) {
  return tx
    .select(summaryColumns)
    .from(blueprints)
    .innerJoin(projects, and(eq(projects.tenantId, blueprints.tenantId), eq(projects.id, blueprints.projectId)))
    .innerJoin(blueprintVersions, and(eq(blueprintVersions.blueprintId, blueprints.id), eq(blueprintVersions.number, blueprints.currentVersion)))
    .leftJoin(users, eq(users.id, blueprints.createdBy))
    .where(filter);
}

/**
 * The list row of one blueprint as a list page shows it: by id, or, after `createBlueprintStatement` in the same
 * message, the blueprint it created (`blueprint_create` leaves its id in the transaction-local `app.created_blueprint`,
 * migration 0007). Sent after a write, it reads the write's result, and the cache patches list pages with it instead
 * of reading them again (`toSummaryRow`). Found by primary key: a lookup by name could not use its index under
 * row-level security (lower() is not leakproof).
 */
export function summaryStatement(tx: TExecutor, by: { tenantId: string } & ({ id: string } | { created: true })) {
  const match = 'id' in by ? eq(blueprints.id, by.id) : sql`${blueprints.id} = nullif(current_setting(${'app.created_blueprint'}, true), ${''})::uuid`;
  return summaries(tx, and(eq(blueprints.tenantId, by.tenantId), match));
}

export const toSummaryRow = (rows: readonly TSummaryRow[]): TBlueprintSummary | null => (rows[0] ? toSummary(rows[0]) : null);

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
  if (args.within) where.push(withinScope(tx, args.tenantId, args.within));
  const filter = and(...where);

  return [
    summaries(tx, filter)
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

/**
 * The domain error of a failed blueprint write: what the write functions raise (class DH, `domainErrorFromPg`), a
 * live name taken in the project, or a concurrent request with the same idempotency key, which committed first (the
 * caller runs the write again and gets that request's result). Anything else propagates unchanged.
 */
export function blueprintWriteError(error: unknown): unknown {
  const domain = domainErrorFromPg(error);
  if (domain) return domain;
  if (pgErrorCode(error) === '23505') {
    const constraint = pgErrorField(error, 'constraint_name');
    if (constraint === 'blueprints_project_name_key') return conflict('a live blueprint with this name already exists in the project', 'name');
    if (constraint === 'blueprints_idempotency_key' || constraint === 'blueprint_versions_idempotency_key') return new IdempotencyRace();
  }
  return error;
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
  /** The request's `Idempotency-Key`: a create with a key already used returns that blueprint (`replayed`). */
  idempotencyKey?: string | null;
}

export interface TCreatedBlueprint {
  id: string;
  version: number;
  /** True when the key matched an earlier create: nothing was written, this is its result. */
  replayed: boolean;
}

/**
 * The statement of a create (the blueprint and its version 1, one call of `blueprint_create`, migration 0005),
 * built and not yet run: one message with the tenant setting (`createTenantWriter`), or awaited in a transaction
 * (`createBlueprint`). `toCreatedBlueprint` reads its row; errors go through `blueprintWriteError`.
 */
export function createBlueprintStatement(db: TExecutor, args: TCreateBlueprintArgs) {
  const g = storedGraph(args.graph);
  return db.execute<{ id: string; version: number; replayed: boolean }>(
    sql`select * from blueprint_create(${args.tenantId}, ${args.projectId}, ${args.name}, ${args.description}, ${args.cloud}, ${args.authorId}, ${g.json}::jsonb, ${g.hash}, ${g.components}, ${g.relations}, ${args.message}, ${args.idempotencyKey ?? null})`,
  );
}

export function toCreatedBlueprint(rows: readonly { id: string; version: number; replayed: boolean }[]): TCreatedBlueprint {
  const [row] = rows;
  if (!row) throw new Error('blueprint_create returned no row');
  return { id: row.id, version: row.version, replayed: row.replayed };
}

/** Inserts the blueprint and its version 1 together, in the caller's transaction. */
export async function createBlueprint(tx: TExecutor, args: TCreateBlueprintArgs): Promise<TCreatedBlueprint> {
  try {
    return toCreatedBlueprint(await createBlueprintStatement(tx, args));
  } catch (error) {
    throw blueprintWriteError(error);
  }
}

export interface TSaveVersionArgs {
  tenantId: string;
  blueprintId: string;
  /** The version the editor started from: a save on top of a newer version is a conflict, not a silent overwrite. */
  baseVersion: number;
  graph: TBlueprintGraph;
  message: string;
  authorId: string | null;
  /** Set for own-scope callers: the save is refused unless this user created the blueprint. */
  ownerRequired?: string | null;
  name?: string;
  description?: string;
  idempotencyKey?: string | null;
}

export interface TSavedVersion {
  version: number;
  graphHash: string;
  /** Nothing changed: the graph is the current version's (same canonical hash), and so are the name and description. */
  unchanged: boolean;
  replayed: boolean;
  place: TBlueprintListPlace;
}

/**
 * The statement of a version save (`blueprint_save_version`, migration 0005), built and not yet run. A graph equal to
 * the current version's makes no new version; only a changed name or description is then written.
 */
export function saveVersionStatement(db: TExecutor, args: TSaveVersionArgs) {
  const g = storedGraph(args.graph);
  return db.execute<{ version: number; graph_hash: string; unchanged: boolean; replayed: boolean; project_id: string; cloud: TCloud; status: TBlueprintStatus }>(
    sql`select * from blueprint_save_version(${args.tenantId}, ${args.blueprintId}, ${args.baseVersion}, ${args.authorId}, ${args.ownerRequired ?? null}, ${g.json}::jsonb, ${g.hash}, ${g.components}, ${g.relations}, ${args.message}, ${args.name ?? null}, ${args.description ?? null}, ${args.idempotencyKey ?? null})`,
  );
}

export function toSavedVersion(
  rows: readonly { version: number; graph_hash: string; unchanged: boolean; replayed: boolean; project_id: string; cloud: TCloud; status: TBlueprintStatus }[],
): TSavedVersion {
  const [r] = rows;
  if (!r) throw notFound('blueprint', 'id');
  return { version: r.version, graphHash: r.graph_hash, unchanged: r.unchanged, replayed: r.replayed, place: { projectId: r.project_id, cloud: r.cloud, status: r.status } };
}

export async function saveBlueprintVersion(tx: TExecutor, args: TSaveVersionArgs): Promise<TSavedVersion> {
  try {
    return toSavedVersion(await saveVersionStatement(tx, args));
  } catch (error) {
    throw blueprintWriteError(error);
  }
}

export async function setBlueprintArchived(
  tx: TExecutor,
  { tenantId, id, archived }: { tenantId: string; id: string; archived: boolean },
): Promise<{ archivedAt: string | null; place: TBlueprintListPlace }> {
  const [prior] = await tx.select({ archivedAt: blueprints.archivedAt }).from(blueprints).where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id))).for('update');
  if (!prior) throw notFound('blueprint', 'id');
  const [row] = await tx
    .update(blueprints)
    .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id)))
    .returning({ archivedAt: blueprints.archivedAt, projectId: blueprints.projectId, cloud: blueprints.cloud, status: blueprints.status })
    .catch(rethrowNameConflict);
  if (!row) throw notFound('blueprint', 'id');
  const { archivedAt, ...place } = row;
  await recordEvent(tx, {
    action: archived ? 'blueprint.archive' : 'blueprint.restore',
    targetType: 'blueprint',
    targetId: id,
    before: { archivedAt: isoOrNull(prior.archivedAt) },
    after: { archivedAt: isoOrNull(archivedAt) },
  });
  return { archivedAt: isoOrNull(archivedAt), place };
}

/** Who created a blueprint, built and not yet run; `toOwner` reads it, or says the blueprint is not there. */
/** Blueprints created by the holder, or in a project of one of their teams (own scope: no teams). */
function withinScope(tx: TExecutor, tenantId: string, within: { ownerId: string; teamIds: readonly string[] }): SQL {
  const own = eq(blueprints.createdBy, within.ownerId);
  if (within.teamIds.length === 0) return own;
  const teamProjects = tx.select({ id: projects.id }).from(projects).where(and(eq(projects.tenantId, tenantId), inArray(projects.teamId, [...within.teamIds])));
  return or(own, inArray(blueprints.projectId, teamProjects))!;
}

/** Who created a blueprint and which team its project belongs to: what own and team scope decide on. */
export function ownerStatement(tx: TExecutor, { tenantId, id }: { tenantId: string; id: string }) {
  return tx
    .select({ createdBy: blueprints.createdBy, teamId: projects.teamId })
    .from(blueprints)
    .leftJoin(projects, and(eq(projects.tenantId, blueprints.tenantId), eq(projects.id, blueprints.projectId)))
    .where(and(eq(blueprints.tenantId, tenantId), eq(blueprints.id, id)));
}

export function toOwner(rows: readonly { createdBy: string | null; teamId: string | null }[]): { ownerId: string | null; teamId: string | null } {
  const [row] = rows;
  if (!row) throw notFound('blueprint', 'id');
  return { ownerId: row.createdBy, teamId: row.teamId };
}

export async function getBlueprintOwner(tx: TExecutor, args: { tenantId: string; id: string }): Promise<{ ownerId: string | null; teamId: string | null }> {
  return toOwner(await ownerStatement(tx, args));
}
