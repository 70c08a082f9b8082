import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ZBlueprintGraph } from './blueprint-graph';
import { createDb } from './client';
import { canonicalJson } from './graph-canonical';
import { createBlueprint, saveBlueprintVersion } from './queries/blueprints';
import { withTenant } from './tenant';
import { createScratchTenant, stackUrls, withTestActor } from './testing';

const urls = stackUrls();
// 50 client connections into PgBouncer, which serves them on its own small server pool.
const app = createDb({ url: urls.DATABASE_URL, max: 50 });
afterAll(() => app.close());

const graph = ZBlueprintGraph.parse({
  components: [{ id: 'q', kind: 'queue', name: 'dev-load-queue', cloud: 'aws', region: 'eu-west-1', properties: { fifo: true } }],
  relations: [],
});

const sqlState = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string; cause?: { code?: string } }) => e.cause?.code ?? e.code ?? String(e));

describe('transactions through PgBouncer (transaction mode, prepare: false)', () => {
  it('800 concurrent transactional writes leave exactly 800 rows', async () => {
    const t = await createScratchTenant(urls.DATABASE_OWNER_URL, 'pgb-800');
    const results = await Promise.allSettled(
      Array.from({ length: 800 }, (_, i) =>
        withTestActor(app.db, t.tenantId, (tx) =>
          createBlueprint(tx, { tenantId: t.tenantId, projectId: t.projectId, name: `load-${i}`, description: '', cloud: 'aws', graph, message: 'load', authorId: t.userId }),
        ),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(0);
    const [row] = await withTenant(app.db, t.tenantId, (tx) =>
      tx.execute<{ blueprints: number; versions: number }>(
        sql`select (select count(*)::int from blueprints) as blueprints, (select count(*)::int from blueprint_versions) as versions`,
      ),
    );
    expect(row).toEqual({ blueprints: 800, versions: 800 });
  });
});

describe('blueprint versions are immutable', () => {
  it('refuses UPDATE and DELETE from the runtime role, through PgBouncer and directly', async () => {
    const t = await createScratchTenant(urls.DATABASE_OWNER_URL, 'immutable');
    const { id } = await withTestActor(app.db, t.tenantId, (tx) =>
      createBlueprint(tx, { tenantId: t.tenantId, projectId: t.projectId, name: 'frozen', description: '', cloud: 'aws', graph, message: 'v1', authorId: t.userId }),
    );
    const direct = createDb({ url: urls.DATABASE_DIRECT_URL, max: 1 });
    try {
      for (const db of [app.db, direct.db]) {
        expect(await sqlState(withTenant(db, t.tenantId, (tx) => tx.execute(sql`update blueprint_versions set message = 'rewritten' where blueprint_id = ${id}`)))).toBe('42501');
        expect(await sqlState(withTenant(db, t.tenantId, (tx) => tx.execute(sql`update blueprint_versions set graph = '{}'::jsonb where blueprint_id = ${id}`)))).toBe('42501');
        expect(await sqlState(withTenant(db, t.tenantId, (tx) => tx.execute(sql`delete from blueprint_versions where blueprint_id = ${id}`)))).toBe('42501');
      }
    } finally {
      await direct.close();
    }
    const [v] = await withTenant(app.db, t.tenantId, (tx) => tx.execute<{ message: string }>(sql`select message from blueprint_versions where blueprint_id = ${id}`));
    expect(v?.message).toBe('v1');
  });

  it('refuses UPDATE even from the table owner (trigger)', async () => {
    const t = await createScratchTenant(urls.DATABASE_OWNER_URL, 'immutable-owner');
    await withTestActor(app.db, t.tenantId, (tx) =>
      createBlueprint(tx, { tenantId: t.tenantId, projectId: t.projectId, name: 'frozen', description: '', cloud: 'aws', graph, message: 'v1', authorId: t.userId }),
    );
    const owner = createDb({ url: urls.DATABASE_OWNER_URL, max: 1 });
    try {
      const attempt = owner.db.execute(sql`update blueprint_versions set message = 'owner rewrite' where tenant_id = ${t.tenantId}`);
      expect(await sqlState(attempt)).toBe('42501');
    } finally {
      await owner.close();
    }
  });

  it('stores the sha-256 of the canonical JSON, and recomputing from the stored graph agrees', async () => {
    const t = await createScratchTenant(urls.DATABASE_OWNER_URL, 'hash');
    const changed = ZBlueprintGraph.parse({ ...graph, components: [...graph.components, { id: 'db', kind: 'database', name: 'dev-load-db', cloud: 'aws', region: 'eu-west-1', properties: { engine: 'postgres' } }] });
    const rows = await withTestActor(app.db, t.tenantId, async (tx) => {
      const { id } = await createBlueprint(tx, { tenantId: t.tenantId, projectId: t.projectId, name: 'h', description: '', cloud: 'aws', graph, message: 'v1', authorId: t.userId });
      await saveBlueprintVersion(tx, { tenantId: t.tenantId, blueprintId: id, baseVersion: 1, graph: changed, message: 'a database', authorId: t.userId });
      return tx.execute<{ graph: unknown; graph_hash: string }>(sql`select graph, graph_hash from blueprint_versions where blueprint_id = ${id} order by number`);
    });
    expect(rows).toHaveLength(2);
    rows.forEach((r, i) => {
      const expected = createHash('sha256').update(canonicalJson([graph, changed][i]!)).digest('hex');
      expect(r.graph_hash).toBe(expected);
      expect(createHash('sha256').update(canonicalJson(ZBlueprintGraph.parse(r.graph))).digest('hex')).toBe(expected);
    });
  });

  it('saving the current design again (in any order) makes no version: unchanged, same hash', async () => {
    const t = await createScratchTenant(urls.DATABASE_OWNER_URL, 'same');
    const two = ZBlueprintGraph.parse({
      components: [
        { id: 'b', kind: 'queue', name: 'dev-b-queue', cloud: 'aws', region: 'eu-west-1', properties: { fifo: true, retention: 4 } },
        { id: 'a', kind: 'queue', name: 'dev-a-queue', cloud: 'aws', region: 'eu-west-1', properties: {} },
      ],
      relations: [],
    });
    const reordered = ZBlueprintGraph.parse({ components: [{ ...two.components[1]! }, { ...two.components[0]!, properties: { retention: 4, fifo: true } }], relations: [] });
    const { saved, versions } = await withTestActor(app.db, t.tenantId, async (tx) => {
      const { id } = await createBlueprint(tx, { tenantId: t.tenantId, projectId: t.projectId, name: 'same', description: '', cloud: 'aws', graph: two, message: 'v1', authorId: t.userId });
      const saved = await saveBlueprintVersion(tx, { tenantId: t.tenantId, blueprintId: id, baseVersion: 1, graph: reordered, message: 'nothing new', authorId: t.userId });
      const versions = await tx.execute<{ n: number }>(sql`select count(*)::int as n from blueprint_versions where blueprint_id = ${id}`);
      return { saved, versions };
    });
    expect(saved).toMatchObject({ version: 1, unchanged: true, replayed: false });
    expect(versions[0]?.n).toBe(1);
  });
});
