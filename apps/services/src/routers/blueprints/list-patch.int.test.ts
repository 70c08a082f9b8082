import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps, scratchTenant, startHttp, tokenFor } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

/**
 * List pages rewritten by a write's patch instead of reloaded must be exactly what the database returns. Two service
 * processes share one Redis and write at the same time (creates and saves, on page boundaries); after each round
 * every list read through either of them is compared with the same list read with the cache off.
 */
const a = makeDeps();
const b = makeDeps();
const truth = makeDeps({ CACHE_ENABLED: 'false' });
let servers: Awaited<ReturnType<typeof startHttp>>[];
let scratch: Awaited<ReturnType<typeof scratchTenant>>;
let token: string;

beforeAll(async () => {
  servers = await Promise.all([startHttp(a), startHttp(b), startHttp(truth)]);
  scratch = await scratchTenant('list-patch');
  token = await tokenFor(scratch.admin, a.env.AUTH_SECRET);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all([a.close(), b.close(), truth.close()]);
});

const call = async (base: string, path: string, input: unknown, method: 'GET' | 'POST' = 'GET') => {
  const res =
    method === 'GET'
      ? await fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization: `Bearer ${token}` } })
      : await fetch(`${base}/trpc/${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
  if (!res.ok) throw new Error(`${path} ${res.status}: ${JSON.stringify(body.error)}`);
  return { data: body.result?.data, cache: res.headers.get('x-cache') };
};

describe('list pages patched by writes', () => {
  it('match the database after every round of concurrent creates and saves from two processes', async () => {
    const filters = () => [
      {},
      { pageSize: 3 },
      { projectId: scratch.projectId, pageSize: 4 },
      { cloud: 'aws', pageSize: 3 },
      { cloud: 'azure' },
      { status: 'draft', pageSize: 5 },
      { page: 2, pageSize: 3 },
      { search: 'round 1' },
    ];
    const versions = new Map<string, number>();
    const [viaA, viaB, viaTruth] = servers.map((s) => s.url) as [string, string, string];
    let n = 0;
    for (let round = 0; round < 12; round++) {
      for (const f of filters()) await Promise.all([call(viaA, 'blueprints.list', f), call(viaB, 'blueprints.list', f)]);
      const own = [...versions.entries()];
      await Promise.all([
        ...[viaA, viaB, viaA].map((via) =>
          call(via, 'blueprints.create', { projectId: scratch.projectId, name: `round ${round} #${n++}`, cloud: n % 5 === 0 ? 'azure' : 'aws', graph: smallGraph() }, 'POST').then(({ data }) =>
            versions.set((data as { id: string }).id, 1),
          ),
        ),
        ...own.slice(0, 3).map(([id, version], i) =>
          call(i % 2 ? viaA : viaB, 'blueprints.saveVersion', { id, baseVersion: version, graph: smallGraph(`m5.${round}xlarge`), message: `round ${round}` }, 'POST').then(({ data }) =>
            versions.set(id, (data as { version: number }).version),
          ),
        ),
      ]);
      for (const f of filters()) {
        const expected = (await call(viaTruth, 'blueprints.list', f)).data;
        for (const via of [viaA, viaB]) expect((await call(via, 'blueprints.list', f)).data, `round ${round} ${JSON.stringify(f)} via ${via === viaA ? 'a' : 'b'}`).toEqual(expected);
      }
      // Blueprints the round saved: their own reads (rewritten by the save when cached) are the database's too.
      for (const [id] of own.slice(0, 3)) {
        const expected = (await call(viaTruth, 'blueprints.byId', { id })).data;
        for (const via of [viaA, viaB]) expect((await call(via, 'blueprints.byId', { id })).data, `round ${round} byId via ${via === viaA ? 'a' : 'b'}`).toEqual(expected);
      }
      // Read every blueprint, so the next round's saves find them cached and rewrite them.
      for (const id of versions.keys()) await Promise.all([call(viaA, 'blueprints.byId', { id }), call(viaB, 'blueprints.byId', { id })]);
    }
    // The rounds did exercise patching (and the comparisons above held for patched pages).
    expect(a.cache.statsByNamespace()['blueprints.list']!.patches + b.cache.statsByNamespace()['blueprints.list']!.patches).toBeGreaterThan(20);
    expect(a.cache.statsByNamespace()['blueprints.byId']!.patches + b.cache.statsByNamespace()['blueprints.byId']!.patches).toBeGreaterThan(5);
  });
});
