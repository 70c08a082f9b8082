import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../client';
import { seedScale, SCALE_TENANT_PREFIX } from '../seed/scale';
import { withTenant, type TTenantTx } from '../tenant';
import { stackUrls } from '../testing';
import { getBlueprintVersion, listBlueprintVersions } from './blueprint-versions';
import { getBlueprint, listBlueprints } from './blueprints';
import { listProjects } from './projects';

/**
 * Every hot query, EXPLAINed at scale (100,000 blueprints over 10 tenants) exactly as the application sends it:
 * no sequential scan of a large table, and the index each one is meant to use.
 */
const SCALE = 100_000;
const LARGE_TABLES = new Set(['blueprints', 'blueprint_versions']);
const urls = stackUrls();
const captured: { query: string; params: unknown[] }[] = [];
const app = createDb({ url: urls.DATABASE_URL, max: 2, logQuery: (query, params) => captured.push({ query, params }) });
let tenantId = '';
let sample = { id: '', projectId: '' };

interface TPlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: TPlanNode[] }
const walk = (n: TPlanNode): TPlanNode[] => [n, ...(n.Plans ?? []).flatMap(walk)];

/**
 * Runs `fn` to capture the statements it sends, then EXPLAINs each (other than set_config) in a transaction of its
 * own with the same tenant set, so row-level security shapes the plans exactly as in production.
 */
async function plans(fn: (tx: TTenantTx) => Promise<unknown>): Promise<TPlanNode[][]> {
  captured.length = 0;
  await withTenant(app.db, tenantId, fn);
  const statements = captured.filter((c) => !c.query.includes('set_config'));
  return app.sql.begin(async (t) => {
    await t`select set_config('app.tenant_id', ${tenantId}, true)`;
    const out: TPlanNode[][] = [];
    for (const s of statements) {
      const [row] = await t.unsafe(`explain (format json) ${s.query}`, s.params as never[]);
      out.push(walk((row!['QUERY PLAN'] as { Plan: TPlanNode }[])[0]!.Plan));
    }
    return out;
  });
}

const seqScans = (nodes: TPlanNode[]) => nodes.filter((n) => n['Node Type'] === 'Seq Scan' && LARGE_TABLES.has(n['Relation Name'] ?? '')).map((n) => n['Relation Name']);
const indexes = (nodes: TPlanNode[]) => nodes.map((n) => n['Index Name']).filter(Boolean);

/** No sequential scan of a large table, and (when given) one of the indexes the query is meant to use. */
function expectIndexed(nodes: TPlanNode[], ...anyOf: string[]) {
  expect(seqScans(nodes), 'sequential scans of large tables').toEqual([]);
  if (anyOf.length > 0) expect(indexes(nodes).some((i) => anyOf.includes(i!)), `uses one of ${anyOf.join(', ')}; plan used ${indexes(nodes).join(', ')}`).toBe(true);
}

beforeAll(async () => {
  const owner = createDb({ url: urls.DATABASE_OWNER_URL, max: 1 });
  try {
    await seedScale(owner.db, { total: SCALE, tenantCount: 10, log: () => {} });
    const [t] = await owner.db.execute<{ id: string }>(sql`select id from tenants where slug = ${`${SCALE_TENANT_PREFIX}1`}`);
    tenantId = t!.id;
    const [b] = await owner.db.execute<{ id: string; project_id: string }>(sql`select id, project_id from blueprints where tenant_id = ${tenantId} and archived_at is null order by updated_at desc limit 1`);
    sample = { id: b!.id, projectId: b!.project_id };
    const [n] = await owner.db.execute<{ n: number }>(sql`select count(*)::int as n from blueprints`);
    expect(n!.n).toBeGreaterThanOrEqual(SCALE);
  } finally {
    await owner.close();
  }
}, 180_000);
afterAll(() => app.close());

describe(`query plans at ${SCALE.toLocaleString('en-US')} blueprints`, () => {
  it('serves the default page (newest first) straight from the ordering index, no sort of the tenant', async () => {
    const [page, total] = await plans((tx) => listBlueprints(tx, { tenantId, page: 1, pageSize: 20 }));
    expectIndexed(page!, 'blueprints_tenant_updated_idx');
    expect(page!.some((n) => n['Node Type'] === 'Sort'), 'an explicit sort').toBe(false);
    expectIndexed(total!);
  });

  it('searches names through an index', async () => {
    const [page, total] = await plans((tx) => listBlueprints(tx, { tenantId, search: 'bp-4242 ', page: 1, pageSize: 20 }));
    expectIndexed(page!, 'blueprints_name_trgm_idx', 'blueprints_project_name_key', 'blueprints_tenant_updated_idx');
    expectIndexed(total!);
  });

  it('filters by project through an index', async () => {
    const [page] = await plans((tx) => listBlueprints(tx, { tenantId, projectId: sample.projectId, page: 1, pageSize: 20 }));
    expectIndexed(page!, 'blueprints_tenant_project_idx', 'blueprints_tenant_updated_idx', 'blueprints_project_name_key');
  });

  it('filters by cloud and status, and pages, without scanning the table', async () => {
    const [page, total] = await plans((tx) => listBlueprints(tx, { tenantId, cloud: 'gcp', status: 'approved', archived: 'all', page: 3, pageSize: 20 }));
    expectIndexed(page!);
    expectIndexed(total!);
  });

  it('reads one blueprint by a unique index and its current version by (blueprint, number)', async () => {
    // byId calls blueprint_detail(id) (migration 0003). EXPLAIN shows a function scan, so the statement inside the
    // function is EXPLAINed instead, as the custom plan PL/pgSQL starts with and as the generic plan it settles on.
    const [fn] = await app.sql<{ prosrc: string }[]>`select prosrc from pg_proc where proname = 'blueprint_detail'`;
    const body = /RETURN QUERY([\s\S]*?);\s*END/i.exec(fn!.prosrc)?.[1]?.replaceAll('p_id', '$1');
    expect(body, 'the RETURN QUERY statement of blueprint_detail').toContain('blueprint_versions');
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      const one = await app.sql.begin(async (t) => {
        await t`select set_config('app.tenant_id', ${tenantId}, true), set_config('plan_cache_mode', ${mode}, true)`;
        await t.unsafe(`prepare detail_plan(uuid) as ${body}`);
        const [row] = await t.unsafe(`explain (format json) execute detail_plan('${sample.id}')`);
        await t.unsafe('deallocate detail_plan');
        return walk((row!['QUERY PLAN'] as { Plan: TPlanNode }[])[0]!.Plan);
      });
      expectIndexed(one, 'blueprints_pkey', 'blueprints_tenant_id_key');
      expectIndexed(one, 'blueprint_versions_number_key');
    }
    await expect(withTenant(app.db, tenantId, (tx) => getBlueprint(tx, sample))).resolves.toMatchObject({ id: sample.id });
  });

  it('lists and reads versions by the (blueprint, number) index', async () => {
    const [list] = await plans((tx) => listBlueprintVersions(tx, { tenantId, blueprintId: sample.id }));
    expectIndexed(list!, 'blueprint_versions_number_key');
    const [one] = await plans((tx) => getBlueprintVersion(tx, { tenantId, blueprintId: sample.id, number: 1 }));
    expectIndexed(one!, 'blueprint_versions_number_key');
  });

  it('counts blueprints per project without scanning all tenants', async () => {
    const [list] = await plans((tx) => listProjects(tx, { tenantId }));
    expectIndexed(list!);
  });
});
