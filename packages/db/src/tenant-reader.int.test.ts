import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZBlueprintGraph } from './blueprint-graph';
import { createDb } from './client';
import { DomainError, pgErrorCode } from './errors';
import {
  blueprintDetailQuery, createBlueprint, getBlueprint, listBlueprints, listBlueprintsQueries, toBlueprintDetail, toBlueprintList,
  type TListBlueprintsArgs,
} from './queries/blueprints';
import { projects } from './schema/projects';
import { createTenantReader, withTenant } from './tenant';
import { createScratchTenant, stackUrls, withTestActor } from './testing';

const urls = stackUrls();
// A small pool into PgBouncer (transaction mode): concurrent reads queue on two client connections.
const app = createDb({ url: urls.DATABASE_URL, max: 2 });
const readInTenant = createTenantReader(app.sql);
afterAll(() => app.close());

const graph = ZBlueprintGraph.parse({
  components: [
    { id: 'q', kind: 'queue', name: 'orders-queue', cloud: 'aws', region: 'eu-west-1', properties: { fifo: true } },
    { id: 'f', kind: 'function', name: 'orders-worker', cloud: 'aws', region: 'eu-west-1', properties: {} },
  ],
  relations: [],
});

type TScratch = Awaited<ReturnType<typeof createScratchTenant>>;
let a: TScratch;
let b: TScratch;
const aIds: Record<string, string> = {};
const bIds: Record<string, string> = {};

async function addBlueprint(t: TScratch, name: string) {
  const { id } = await withTestActor(app.db, t.tenantId, (tx) =>
    createBlueprint(tx, { tenantId: t.tenantId, projectId: t.projectId, name, description: `about ${name}`, cloud: 'aws', graph, message: 'v1', authorId: t.userId }),
  );
  return id;
}

beforeAll(async () => {
  [a, b] = await Promise.all([createScratchTenant(urls.DATABASE_OWNER_URL, 'reader-a'), createScratchTenant(urls.DATABASE_OWNER_URL, 'reader-b')]);
  for (const name of ['alpha', 'beta', "O'Brien's stack", 'back\\slash']) aIds[name] = await addBlueprint(a, name);
  for (const name of ['alpha', 'gamma']) bIds[name] = await addBlueprint(b, name);
});

const listArgs = (t: TScratch, extra: Partial<TListBlueprintsArgs> = {}): TListBlueprintsArgs => ({ tenantId: t.tenantId, page: 1, pageSize: 50, ...extra });
const readList = (t: TScratch, extra: Partial<TListBlueprintsArgs> = {}) =>
  readInTenant(t.tenantId, (db) => listBlueprintsQueries(db, listArgs(t, extra))).then(toBlueprintList);
const readDetail = (tenantId: string, id: string) => readInTenant(tenantId, (db) => [blueprintDetailQuery(db, { id })]).then(([rows]) => toBlueprintDetail(rows));
const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

/** The message of an error and of its causes (Drizzle wraps driver errors in a DrizzleQueryError). */
function messages(error: unknown): string {
  const out: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) out.push(String(e.message ?? e));
  return out.join(' <- ');
}

describe('readInTenant returns what withTenant returns', () => {
  it('reads the same blueprint detail as getBlueprint', async () => {
    const id = aIds.alpha!;
    const expected = await withTenant(app.db, a.tenantId, (tx) => getBlueprint(tx, { id }), { readOnly: true });
    const actual = await readDetail(a.tenantId, id);
    expect(actual).toEqual(expected);
    expect(actual).toMatchObject({ id, name: 'alpha', projectId: a.projectId, componentCount: 2, currentVersion: 1, createdBy: a.userId });
    expect(actual.graph).toEqual(expected.graph);
  });

  it('reads the same list page as listBlueprints', async () => {
    const expected = await withTenant(app.db, a.tenantId, (tx) => listBlueprints(tx, listArgs(a)), { readOnly: true });
    const actual = await readList(a);
    expect(actual).toEqual(expected);
    expect(actual.total).toBe(4);
    expect(actual.items.map((i) => i.id).sort()).toEqual(Object.values(aIds).sort());
  });

  it('reads the list and a detail in one message, with paging and filters', async () => {
    const [rows, total, detail] = await readInTenant(a.tenantId, (db) => [
      ...listBlueprintsQueries(db, listArgs(a, { pageSize: 2, page: 2 })),
      blueprintDetailQuery(db, { id: aIds.beta! }),
    ]);
    const expected = await withTenant(app.db, a.tenantId, (tx) => listBlueprints(tx, listArgs(a, { pageSize: 2, page: 2 })));
    expect(toBlueprintList([rows, total])).toEqual(expected);
    expect(expected.items).toHaveLength(2);
    expect(toBlueprintDetail(detail).name).toBe('beta');
  });
});

describe('tenant isolation', () => {
  it("does not read tenant B's blueprint with tenant A's id", async () => {
    const [rows] = await readInTenant(a.tenantId, (db) => [blueprintDetailQuery(db, { id: bIds.gamma! })]);
    expect(rows).toEqual([]);
    const error = await rejection(readDetail(a.tenantId, bIds.gamma!));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    // ... while B reads it.
    await expect(readDetail(b.tenantId, bIds.gamma!)).resolves.toMatchObject({ id: bIds.gamma, name: 'gamma' });
  });

  it("never lists B's blueprints for A, even when the filter names B's tenant", async () => {
    const bSet = new Set(Object.values(bIds));
    const own = await readList(a, { archived: 'all' });
    expect(own.items.some((i) => bSet.has(i.id))).toBe(false);
    expect(own.items.every((i) => i.projectId === a.projectId)).toBe(true);
    // The query's own tenant filter says B; row-level security still scopes the read to A: nothing at all.
    const crossed = await readInTenant(a.tenantId, (db) => listBlueprintsQueries(db, listArgs(b, { archived: 'all' }))).then(toBlueprintList);
    expect(crossed).toEqual({ items: [], total: 0 });
    const crossedDetail = await readInTenant(a.tenantId, (db) => [db.execute<{ n: number }>(sql`select count(*)::int as n from blueprints where tenant_id = ${b.tenantId}`)]);
    expect(crossedDetail).toEqual([[{ n: 0 }]]);
  });
});

describe('the tenant setting does not leak', () => {
  it('leaves no app.tenant_id on the pool after many concurrent reads, and no read sees another tenant', async () => {
    const tenants = [a, b];
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const t = tenants[i % 2]!;
        const [rows, setting] = await readInTenant(t.tenantId, (db) => [
          db.execute<{ tenant_id: string }>(sql`select distinct tenant_id from blueprints`),
          db.execute<{ t: string }>(sql`select current_setting('app.tenant_id', true) as t`),
        ]);
        return { expected: t.tenantId, seen: rows.map((r) => r.tenant_id), setting: setting[0]?.t };
      }),
    );
    for (const r of results) {
      expect(r.seen).toEqual([r.expected]);
      expect(r.setting).toBe(r.expected);
    }
    // Two at a time, so both client connections of the pool (and the server connections behind them) are asked.
    for (let round = 0; round < 5; round++) {
      const checks = await Promise.all(
        [0, 1].map(() => app.sql<{ t: string | null; n: number }[]>`select current_setting('app.tenant_id', true) as t, (select count(*)::int from blueprints) as n`),
      );
      for (const [row] of checks) {
        expect(['', null]).toContain(row!.t);
        expect(row!.n).toBe(0);
      }
    }
  });
});

describe('read only', () => {
  it('refuses an insert built in build, and writes nothing', async () => {
    const slug = 'written-by-a-read';
    const countSlug = () =>
      withTenant(app.db, a.tenantId, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from projects where slug = ${slug}`)).then(([r]) => r!.n);
    const error = await rejection(
      readInTenant(a.tenantId, (db) => [db.insert(projects).values({ tenantId: a.tenantId, slug, name: 'Written by a read', primaryCloud: 'aws' })]),
    );
    expect(error).not.toBeNull();
    expect(pgErrorCode(error)).toBe('25006');
    expect(messages(error)).toMatch(/read-only transaction/);
    expect(await countSlug()).toBe(0);
    // The same insert does go through withTenant (so the refusal above is the read-only mode, not RLS or a constraint).
    await withTenant(app.db, a.tenantId, (tx) => tx.insert(projects).values({ tenantId: a.tenantId, slug, name: 'Written by a write', primaryCloud: 'aws' }));
    expect(await countSlug()).toBe(1);
  });
});

describe('hostile input is data, not SQL', () => {
  it('searches for a quote-and-drop string, finds nothing, and the table stays', async () => {
    const hostile = "x'; drop table blueprints; --";
    await expect(readList(a, { search: hostile })).resolves.toEqual({ items: [], total: 0 });
    const [exists] = await app.sql<{ t: string | null }[]>`select to_regclass('public.blueprints')::text as t`;
    expect(exists!.t).toBe('blueprints');
    expect((await readList(a)).total).toBe(4);
  });

  it("finds O'Brien by a search with a quote", async () => {
    const found = await readList(a, { search: "O'Brien" });
    expect(found.items.map((i) => i.name)).toEqual(["O'Brien's stack"]);
    expect(found.total).toBe(1);
    expect(found).toEqual(await withTenant(app.db, a.tenantId, (tx) => listBlueprints(tx, listArgs(a, { search: "O'Brien" }))));
  });

  it('keeps backslashes and LIKE wildcards as characters', async () => {
    expect((await readList(a, { search: 'k\\s' })).items.map((i) => i.name)).toEqual(['back\\slash']);
    expect((await readList(a, { search: '\\' })).items.map((i) => i.name)).toEqual(['back\\slash']);
    expect((await readList(a, { search: '%' })).total).toBe(0);
    expect((await readList(a, { search: '_' })).total).toBe(0);
  });
});

describe('errors', () => {
  it('rejects the read when one statement fails, and the next read on the pool works', async () => {
    const error = await rejection(readInTenant(a.tenantId, (db) => [blueprintDetailQuery(db, { id: 'nope' })]));
    expect(error).not.toBeNull();
    expect(pgErrorCode(error)).toBe('22P02');
    // A failing statement after good ones rejects the whole read, not just its own result.
    const mixed = await rejection(
      readInTenant(a.tenantId, (db) => [...listBlueprintsQueries(db, listArgs(a)), blueprintDetailQuery(db, { id: 'nope' })]),
    );
    expect(pgErrorCode(mixed)).toBe('22P02');
    for (let i = 0; i < 4; i++) {
      await expect(readDetail(a.tenantId, aIds.alpha!)).resolves.toMatchObject({ id: aIds.alpha, name: 'alpha' });
    }
    const [[setting]] = await readInTenant(b.tenantId, (db) => [db.execute<{ t: string }>(sql`select current_setting('app.tenant_id', true) as t`)]);
    expect(setting!.t).toBe(b.tenantId);
  });

  it('refuses a query that sends no statement', async () => {
    const error = await rejection(readInTenant(a.tenantId, () => [{ execute: () => Promise.resolve(1) }]));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/each query must send one statement/);
  });

  it('refuses an invalid tenant id before building or sending anything', async () => {
    const unsafe = vi.fn(app.sql.unsafe);
    const spied = createTenantReader({ options: app.sql.options, unsafe } as unknown as Sql);
    const build = vi.fn(() => [] as const);
    await expect(spied('x', build)).rejects.toThrow(/tenantId must be a uuid/);
    await expect(spied("00000000-0000-0000-0000-000000000000'; select 1; --", build)).rejects.toThrow(/tenantId must be a uuid/);
    expect(build).not.toHaveBeenCalled();
    expect(unsafe).not.toHaveBeenCalled();
    // The same spied reader does send a valid read (and sends nothing for a build with no statement).
    await expect(spied(a.tenantId, build)).resolves.toEqual([]);
    await expect(spied(a.tenantId, (db) => [db.execute<{ one: number }>(sql`select 1 as one`)])).resolves.toEqual([[{ one: 1 }]]);
    expect(unsafe).toHaveBeenCalledTimes(1);
  });
});

describe('parameters that cannot be literals as they stand', () => {
  it('rejects a search with a NUL character with the reason, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const error = await rejection(readList(a, { search: 'a\0b' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect.soft(messages(error)).toMatch(/NUL character/);
      expect.soft(unhandled.map(messages)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('sends a negative number after a minus as a number, not as the start of a -- comment', async () => {
    const n = -1;
    await expect(readInTenant(a.tenantId, (db) => [db.execute<{ v: number }>(sql`select 5-${n} as v`)])).resolves.toEqual([[{ v: 6 }]]);
  });

  it('refuses parameters in a statement with quoted text, where a $1 could be text, not a parameter', async () => {
    const error = await rejection(readInTenant(a.tenantId, (db) => [db.execute(sql`select 'costs $1' as label, ${' || current_user || '} as v`)]));
    expect(messages(error)).toMatch(/quoted text cannot take its parameters inline/);
  });
});

describe('reads of one tenant in the same turn share one message', () => {
  it('sends concurrent reads of a tenant as one message per tenant, each getting its own results', async () => {
    const unsafe = vi.fn(app.sql.unsafe);
    const spied = createTenantReader({ options: app.sql.options, unsafe } as unknown as Sql);
    const list = (t: TScratch, search: string) => spied(t.tenantId, (db) => listBlueprintsQueries(db, listArgs(t, { search }))).then(toBlueprintList);
    const detail = (t: TScratch, id: string) => spied(t.tenantId, (db) => [blueprintDetailQuery(db, { id })]).then(([rows]) => toBlueprintDetail(rows));
    const [alphaA, betaA, alphaB, detailA, detailB] = await Promise.all([list(a, 'alpha'), list(a, 'beta'), list(b, 'alpha'), detail(a, aIds.beta!), detail(b, bIds.gamma!)]);
    expect(unsafe).toHaveBeenCalledTimes(2);
    expect(alphaA.items.map((i) => i.id)).toEqual([aIds.alpha]);
    expect(betaA.items.map((i) => i.id)).toEqual([aIds.beta]);
    expect(alphaB.items.map((i) => i.id)).toEqual([bIds.alpha]);
    expect([detailA.name, detailB.name]).toEqual(['beta', 'gamma']);
  });

  it('one read that fails fails alone: the others sharing its message are sent again and answered', async () => {
    const unsafe = vi.fn(app.sql.unsafe);
    const spied = createTenantReader({ options: app.sql.options, unsafe } as unknown as Sql);
    const good = spied(a.tenantId, (db) => listBlueprintsQueries(db, listArgs(a, { search: 'alpha' }))).then(toBlueprintList);
    // A uuid that is not one: the cast fails in Postgres, which rolls the whole message back.
    const bad = spied(a.tenantId, (db) => [db.execute(sql`select ${'not-a-uuid'}::uuid as id`)]);
    const [ok, failed] = await Promise.allSettled([good, bad]);
    expect(ok.status === 'fulfilled' && ok.value.items.map((i) => i.id)).toEqual([aIds.alpha]);
    expect(failed.status).toBe('rejected');
    expect(pgErrorCode((failed as PromiseRejectedResult).reason)).toBe('22P02');
    expect(unsafe).toHaveBeenCalledTimes(3);
  });
});
