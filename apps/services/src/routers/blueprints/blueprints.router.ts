import { z } from 'zod';
import { requiredOwner, rowScope } from '@dharma/auth/rbac';
import {
  blueprintDetailQuery, blueprintWriteError, createBlueprintStatement, listBlueprintsQueries, ownerStatement, toOwner, saveVersionStatement, setBlueprintArchived,
  summaryStatement, toBlueprintDetail, toBlueprintList, toCreatedBlueprint, toSavedVersion, toSummaryRow,
  type TBlueprintDetail, type TBlueprintSummary,
} from '@dharma/db/queries/blueprints';
import type { TEntryPatch } from '@dharma/cache/cache';
import { stableKey } from '@dharma/cache/key';
import { patchListPage, type TListChange, type TListFilter, type TListPage } from '../../domain/blueprints/list-patch';
import { toVersion, toVersions, versionStatement, versionsStatement } from '@dharma/db/queries/blueprint-versions';
import { diffGraphs } from '../../domain/blueprints/diff';
import { cachedQuery, cachedRead, warmRead } from '../../trpc/cached-read';
import { idempotencyKey } from '../../trpc/context';
import { permission, router } from '../../trpc/procedures';
import { writeOnce } from '../../trpc/write-once';
import { projectCountPatch, projectTags } from '../projects.router';
import { assertCovers, assertReadable, blueprintTags, holderOf } from './blueprint-access';
import { lifecycleProcedures } from './lifecycle';
import { checkBudgetAfterWrite } from '../../domain/costing/pricing';
import {
  ZBlueprintDetail, ZBlueprintIdInput, ZBlueprintList, ZCreateBlueprintInput, ZDiffInput, ZListBlueprintsInput,
  ZSaveVersionInput, ZVersionDetail, ZVersionInput, ZVersionSummary,
} from './blueprints.schema';


const ZDiffOutput = z.object({
  from: ZVersionSummary,
  to: ZVersionSummary,
  diff: z.custom<ReturnType<typeof diffGraphs>>(),
});

/** Event-loop lag (ms, smoothed) above which a create does not warm the new blueprint's read. */
const WARM_MAX_LAG_MS = 20;

/**
 * How a create or a save changes cached list pages: the written row put in place on each first page whose filters it
 * matches (`patchListPage`), so a write does not send every list its tags reach back to the database.
 */
function listPatch(kind: TListChange['kind'], row: TBlueprintSummary | null): TEntryPatch | undefined {
  if (!row) return undefined;
  // The first pages everyone opens (all live blueprints, the row's project's), whichever process read them last.
  const targets = [{}, { projectId: row.projectId }].map((raw) => {
    const input = ZListBlueprintsInput.parse(raw);
    return { input, key: stableKey(input), tags: blueprintReads.list.tags(input) };
  });
  return {
    namespace: 'blueprints.list',
    targets,
    apply: (input, value) => {
      const page = patchListPage(input as TListFilter, value as TListPage, { kind, row });
      // What the read caches is its output schema's parse of the loader's value: the same here, byte for byte.
      return page === undefined ? undefined : blueprintReads.list.output.parse(page);
    },
  };
}

/**
 * After a save, the blueprint's own cached read becomes the blueprint as the save's message read it, unless the
 * cached one is newer already (two saves invalidating out of order).
 */
function detailPatch(detail: TBlueprintDetail | null): TEntryPatch | undefined {
  if (!detail) return undefined;
  const input = { id: detail.id };
  return {
    namespace: 'blueprints.byId',
    targets: [{ input, key: stableKey(input), tags: blueprintReads.byId.tags(input) }],
    apply: (input, value) => {
      const cached = value as TBlueprintDetail | undefined;
      if ((input as { id?: string } | undefined)?.id !== detail.id || !cached) return undefined;
      if (cached.currentVersion > detail.currentVersion || (cached.currentVersion === detail.currentVersion && cached.updatedAt >= detail.updatedAt)) return cached;
      return blueprintReads.byId.output.parse(detail);
    },
  };
}

/** Archive (true) or restore (false): same permission, ownership rule and invalidation, one event each. */
function setArchived(archived: boolean) {
  const verb = archived ? 'archive' : 'restore';
  return permission('blueprint', 'delete')
    .input(ZBlueprintIdInput)
    .output(z.object({ archivedAt: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { archivedAt, place } = await ctx.tx(async (tx) => {
        await assertCovers(tx, ctx, input.id, verb);
        return setBlueprintArchived(tx, { tenantId: ctx.tenant.id, id: input.id, archived });
      });
      await ctx.cache.invalidate([...blueprintTags.changed(place), blueprintTags.one(input.id), projectTags.lists]);
      ctx.deps.metrics.business.inc({ event: archived ? 'blueprint_archived' : 'blueprint_restored' });
      return { archivedAt };
    });
}

/** The cacheable reads, declared once for the procedures and the front cache layer. */
export const blueprintReads = {
  list: cachedRead({ resource: 'blueprint', action: 'read', input: ZListBlueprintsInput, output: ZBlueprintList, tags: (i) => [blueprintTags.list(i)] }),
  byId: cachedRead({ resource: 'blueprint', action: 'read', input: ZBlueprintIdInput, output: ZBlueprintDetail, tags: (i) => [blueprintTags.one(i.id)] }),
  versions: cachedRead({ resource: 'blueprint', action: 'read', input: ZBlueprintIdInput, output: z.array(ZVersionSummary), tags: (i) => [blueprintTags.one(i.id)] }),
  // A saved version never changes, so it and diffs between versions cache for the maximum TTL, with no tag.
  version: cachedRead({ resource: 'blueprint', action: 'read', input: ZVersionInput, output: ZVersionDetail, tags: () => [], ttlSeconds: 3600 }),
  diff: cachedRead({ resource: 'blueprint', action: 'read', input: ZDiffInput, output: ZDiffOutput, tags: () => [], ttlSeconds: 3600 }),
};

export const blueprintsRouter = router({
  list: cachedQuery(blueprintReads.list, async (ctx, input) => {
    const within = rowScope(ctx.scope, holderOf(ctx));
    const { items, total } = toBlueprintList(await ctx.read((db) => listBlueprintsQueries(db, { tenantId: ctx.tenant.id, ...input, within })));
    return { items, total, page: input.page, pageSize: input.pageSize };
  }),

  byId: cachedQuery(blueprintReads.byId, async (ctx, input) => {
    await assertReadable(ctx, input.id);
    const [rows] = await ctx.read((db) => [blueprintDetailQuery(db, { id: input.id })]);
    return toBlueprintDetail(rows);
  }),

  versions: cachedQuery(blueprintReads.versions, async (ctx, input) => {
    await assertReadable(ctx, input.id);
    const tenantId = ctx.tenant.id;
    const [owner, rows] = await ctx.read((db) => [ownerStatement(db, { tenantId, id: input.id }), versionsStatement(db, { tenantId, blueprintId: input.id })]);
    toOwner(owner);
    return toVersions(rows);
  }),

  version: cachedQuery(blueprintReads.version, async (ctx, input) => {
    await assertReadable(ctx, input.id);
    const [rows] = await ctx.read((db) => [versionStatement(db, { tenantId: ctx.tenant.id, blueprintId: input.id, number: input.number })]);
    return toVersion(rows, input.number);
  }),

  diff: cachedQuery(blueprintReads.diff, async (ctx, input) => {
    await assertReadable(ctx, input.id);
    const tenantId = ctx.tenant.id;
    const [fromRows, toRows] = await ctx.read((db) => [
      versionStatement(db, { tenantId, blueprintId: input.id, number: input.from }),
      versionStatement(db, { tenantId, blueprintId: input.id, number: input.to }),
    ]);
    const { graph: before, ...fromSummary } = toVersion(fromRows, input.from, 'from');
    const { graph: after, ...toSummary } = toVersion(toRows, input.to, 'to');
    return { from: fromSummary, to: toSummary, diff: diffGraphs(before, after) };
  }),

  create: permission('blueprint', 'create')
    .input(ZCreateBlueprintInput)
    .output(z.object({ id: z.string(), version: z.number(), replayed: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.id;
      const args = { tenantId, authorId: ctx.user.id, ...input, idempotencyKey: idempotencyKey(ctx) };
      const place = { projectId: input.projectId, cloud: input.cloud, status: 'draft' as const };
      const { created } = await writeOnce(ctx, {
        // The new list row comes back in the same message, read after the insert: the list pages patch themselves with it.
        run: async () => {
          const [rows, row] = await ctx.write((db) => [createBlueprintStatement(db, args), summaryStatement(db, { tenantId, created: true })]);
          return { created: toCreatedBlueprint(rows), row: toSummaryRow(row) };
        },
        mapError: blueprintWriteError,
        // A create lands where its input says; when its outcome is unknown those lists may have changed.
        tags: () => [...blueprintTags.changed(place), projectTags.lists],
        patch: ({ row }) => [listPatch('create', row), projectCountPatch(place.projectId, 1)].filter((p): p is TEntryPatch => p !== undefined),
      });
      if (!created.replayed) {
        checkBudgetAfterWrite(ctx, { projectId: input.projectId, blueprintId: created.id, version: 1, graph: input.graph });
        // Whoever creates a blueprint opens it next: have it in the cache by then. A favour (a database read and a
        // cache write), so not while the process is already running late.
        if (ctx.deps.shedder.stats().lagMs < WARM_MAX_LAG_MS) warmRead(blueprintReads.byId, ctx, 'blueprints.byId', { id: created.id });
        ctx.deps.metrics.business.inc({ event: 'blueprint_created' });
      }
      return created;
    }),

  saveVersion: permission('blueprint', 'update')
    .input(ZSaveVersionInput)
    .output(z.object({ version: z.number(), graphHash: z.string(), unchanged: z.boolean(), replayed: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { id, ...rest } = input;
      const tenantId = ctx.tenant.id;
      // Own scope is enforced by the database under the row lock (ownerRequired); team scope is checked here first.
      if (ctx.scope === 'team') await ctx.tx((tx) => assertCovers(tx, ctx, id, 'update'), { readOnly: true });
      const args = { tenantId, blueprintId: id, authorId: ctx.user.id, ownerRequired: requiredOwner(ctx.scope, ctx.user.id), idempotencyKey: idempotencyKey(ctx), ...rest };
      const { saved } = await writeOnce(ctx, {
        // The list row and the whole blueprint come back in the same message, read after the save: list pages and
        // the blueprint's own cached read are rewritten with them instead of read again.
        run: async () => {
          const [rows, row, detail] = await ctx.write((db) => [saveVersionStatement(db, args), summaryStatement(db, { tenantId, id }), blueprintDetailQuery(db, { id })]);
          return { saved: toSavedVersion(rows), row: toSummaryRow(row), detail: detail.length > 0 ? toBlueprintDetail(detail) : null };
        },
        mapError: blueprintWriteError,
        // Nothing to invalidate when nothing changed; the blueprint's own reads when the outcome is unknown.
        tags: (result) =>
          result === undefined ? [blueprintTags.one(id)] : result.saved.unchanged ? [] : [...blueprintTags.changed(result.saved.place), blueprintTags.one(id)],
        patch: ({ row, detail }) => [listPatch('save', row), detailPatch(detail)].filter((p): p is TEntryPatch => p !== undefined),
      });
      if (!saved.unchanged && !saved.replayed) {
        ctx.deps.metrics.business.inc({ event: 'blueprint_version_saved' });
        checkBudgetAfterWrite(ctx, { projectId: saved.place.projectId, blueprintId: id, version: saved.version, graph: input.graph });
      }
      const { place: _place, ...answer } = saved;
      return answer;
    }),

  archive: setArchived(true),
  restore: setArchived(false),
  ...lifecycleProcedures,
});
