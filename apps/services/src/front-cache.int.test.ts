import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeDeps, scratchTenant, seededUsers, startHttp, tokenFor } from './testing/harness';
import { smallGraph } from './testing/graphs';
import { createClient } from '@dharma/sdk/client';

const deps = makeDeps();
let server: Awaited<ReturnType<typeof startHttp>>;
let base: string;
let scratch: Awaited<ReturnType<typeof scratchTenant>>;
let token: string;
let id: string;

beforeAll(async () => {
  server = await startHttp(deps);
  base = server.url;
  scratch = await scratchTenant('front');
  token = await tokenFor(scratch.admin, deps.env.AUTH_SECRET);
  const client = createClient(base, token);
  id = (await client.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Front', cloud: 'aws', graph: smallGraph() })).id;
  await client.blueprints.saveVersion.mutate({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'two' });
  // The save rewrote the blueprint's cached read; drop it, so the first read below is a miss again.
  await deps.cache.invalidate({ tenantId: scratch.tenantId, tags: [`blueprint:${id}`] });
});
afterAll(async () => {
  await server.close();
  await deps.close();
});

const get = (path: string, input: unknown, bearer = token) =>
  fetch(`${base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers: { authorization: `Bearer ${bearer}` } });

/** The same read sent as a one-item tRPC batch, which the front layer leaves to tRPC: tRPC's own bytes for it. */
const viaTrpc = async (path: string, input: unknown, url = base) => {
  const res = await fetch(`${url}/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  const text = await res.text();
  return text.slice(1, -1);
};

const READS = (): [string, unknown][] => [
  ['blueprints.byId', { id }],
  ['blueprints.list', {}],
  ['blueprints.list', { cloud: 'aws', search: 'fro', pageSize: 5 }],
  ['blueprints.versions', { id }],
  ['blueprints.version', { id, number: 1 }],
  ['blueprints.diff', { id, from: 1, to: 2 }],
  ['projects.list', undefined],
];

describe('front read layer', () => {
  it('answers misses and hits with the bytes tRPC itself sends, for every cached read', async () => {
    for (const [path, input] of READS()) {
      const miss = await get(path, input);
      const hit = await get(path, input);
      expect([miss.status, hit.status], path).toEqual([200, 200]);
      expect([miss.headers.get('x-cache'), hit.headers.get('x-cache')], path).toEqual(['MISS', 'HIT']);
      expect(hit.headers.get('content-type'), path).toBe(miss.headers.get('content-type'));
      const [missBody, hitBody] = [await miss.text(), await hit.text()];
      expect(hitBody, path).toBe(missBody);
      expect(await viaTrpc(path, input), path).toBe(missBody);
    }
  });

  it('answers every read from its loader when the cache is off, with tRPC\'s bytes and x-cache BYPASS', async () => {
    const uncached = makeDeps({ CACHE_ENABLED: 'false' });
    const http = await startHttp(uncached);
    try {
      // The reads' own bypasses; every request also reads its caller's access (namespace auth.access), uncached too.
      const bypasses = () => Object.entries(uncached.cache.statsByNamespace()).reduce((n, [ns, c]) => (ns === 'auth.access' ? n : n + c.bypass), 0);
      const before = bypasses();
      for (const [path, input] of READS()) {
        const res = await fetch(`${http.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, {
          headers: { authorization: `Bearer ${token}`, 'x-request-id': 'front-uncached-1' },
        });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('x-cache'), path).toBe('BYPASS');
        expect(res.headers.get('x-request-id'), path).toBe('front-uncached-1');
        expect(await res.text(), path).toBe(await viaTrpc(path, input, http.url));
      }
      // Every read went to the loader: one bypass per front read and one per tRPC read.
      expect(bypasses() - before).toBe(READS().length * 2);
    } finally {
      await http.close();
      await uncached.close();
    }
  });

  it('leaves errors to tRPC, so they keep its shape and status', async () => {
    const missing = await get('blueprints.byId', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { data: { code: string; path: string; issues: { field: string }[] } } };
    expect(body.error.data).toMatchObject({ code: 'NOT_FOUND', path: 'blueprints.byId', issues: [{ field: 'id' }] });
  });

  it('treats an input with defaults filled in and the same input spelled out as one entry', async () => {
    await get('blueprints.list', { search: 'front-defaults' });
    const explicit = await get('blueprints.list', { search: 'front-defaults', archived: 'live', page: 1, pageSize: 20 });
    expect(explicit.headers.get('x-cache')).toBe('HIT');
  });

  it('never serves a cached entry to a caller tRPC would refuse', async () => {
    await get('blueprints.byId', { id });
    expect((await get('blueprints.byId', { id })).headers.get('x-cache')).toBe('HIT');
    const users = await seededUsers(deps);
    const other = await get('blueprints.byId', { id }, await tokenFor(users.ada, deps.env.AUTH_SECRET));
    expect(other.status).toBe(404);
    const expired = await get('blueprints.byId', { id }, await tokenFor(scratch.admin, deps.env.AUTH_SECRET, -5));
    expect(expired.status).toBe(401);
    const forged = await get('blueprints.byId', { id }, await tokenFor({ ...scratch.admin, userId: users.ada.userId }, deps.env.AUTH_SECRET));
    expect(forged.status).toBe(403);
    const noAuth = await fetch(`${base}/trpc/blueprints.byId?input=${encodeURIComponent(JSON.stringify({ id }))}`);
    expect(noAuth.status).toBe(401);
    expect((await get('blueprints.byId', { id: 'nope' })).status).toBe(400);
  });

  it('answers repeated hits from the near cache, byte for byte, and only to callers tRPC would answer', async () => {
    await get('blueprints.byId', { id });
    await get('blueprints.byId', { id }); // read back from Redis: from now on the entry is held in this process
    const before = deps.store.nearStats?.();
    expect(before?.tracking).toBe(true);
    const responses = await Promise.all(Array.from({ length: 5 }, () => get('blueprints.byId', { id })));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.headers.get('x-cache'))).toEqual(Array(5).fill('HIT'));
    // Two near-cache reads per request: the caller's access entry (auth.access) and the blueprint.
    expect(deps.store.nearStats!().hits - before!.hits).toBe(10);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toBe(await viaTrpc('blueprints.byId', { id }));
    // Another tenant's caller whose token and membership are already known takes the same path, and gets tRPC's 404.
    const ada = await tokenFor((await seededUsers(deps)).ada, deps.env.AUTH_SECRET);
    for (let i = 0; i < 2; i++) expect((await get('blueprints.byId', { id }, ada)).status).toBe(404);
  });

  it('stops serving an entry the moment a mutation invalidates it', async () => {
    const client = createClient(base, token);
    await get('blueprints.byId', { id });
    const before = (await (await get('blueprints.byId', { id })).json()) as { result: { data: { currentVersion: number } } };
    await client.blueprints.saveVersion.mutate({ id, baseVersion: before.result.data.currentVersion, graph: smallGraph('t3.2xlarge'), message: 'three' });
    // Served fresh either way: a MISS, or a HIT on the entry refresh-ahead reloaded after the invalidation.
    const after = await get('blueprints.byId', { id });
    expect(((await after.json()) as { result: { data: { currentVersion: number } } }).result.data.currentVersion).toBe(before.result.data.currentVersion + 1);
  });

  it('has a blueprint just created in the cache before its creator opens it, and refreshes the lists it changed', async () => {
    const client = createClient(base, token);
    const listInput = { search: 'Front warm' };
    expect((await get('blueprints.list', listInput)).headers.get('x-cache')).toMatch(/MISS|HIT/);
    const before = deps.cache.stats().refreshes;
    const created = await client.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Front warm', cloud: 'aws', graph: smallGraph() });
    // Two reloads off the request: the new blueprint's byId (warmed) and the list read above (refreshed).
    await vi.waitFor(() => {
      const stats = deps.cache.stats();
      expect(stats.refreshes - before).toBeGreaterThanOrEqual(2);
      expect([stats.inflight, stats.refreshAhead?.queued, stats.refreshAhead?.running]).toEqual([0, 0, 0]);
    });
    const opened = await get('blueprints.byId', { id: created.id });
    expect(opened.headers.get('x-cache')).toBe('HIT');
    expect(((await opened.json()) as { result: { data: { name: string } } }).result.data.name).toBe('Front warm');
    const listed = await get('blueprints.list', listInput);
    expect(listed.headers.get('x-cache')).toBe('HIT');
    expect(((await listed.json()) as { result: { data: { items: { id: string }[] } } }).result.data.items.map((i) => i.id)).toContain(created.id);
  });

  it('invalidates only the lists a change can reach: an AWS create leaves Azure and approved lists cached', async () => {
    // Refresh-ahead off, so a HIT below can only be an entry the create did not invalidate (not one reloaded since).
    const plain = makeDeps({ CACHE_REFRESH_AHEAD: 'false' });
    const http = await startHttp(plain);
    try {
      const read = async (input: object) => {
        const res = await fetch(`${http.url}/trpc/blueprints.list?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization: `Bearer ${token}` } });
        return { cache: res.headers.get('x-cache'), ids: ((await res.json()) as { result: { data: { items: { id: string }[] } } }).result.data.items.map((i) => i.id) };
      };
      const untouched = [{ cloud: 'azure' }, { status: 'approved' }];
      const reached = [{}, { cloud: 'aws' }, { status: 'draft', projectId: scratch.projectId }];
      for (const input of [...untouched, ...reached]) await read(input);
      const created = await createClient(http.url, token).blueprints.create.mutate({ projectId: scratch.projectId, name: 'Front tags', cloud: 'aws', graph: smallGraph() });
      for (const input of untouched) expect((await read(input)).cache, JSON.stringify(input)).toBe('HIT');
      // Reached lists are read again (MISS), or were rewritten with the new row by the create's patch (HIT): either
      // way they list it.
      for (const input of reached) {
        const after = await read(input);
        expect(['MISS', 'HIT'], JSON.stringify(input)).toContain(after.cache);
        expect(after.ids, JSON.stringify(input)).toContain(created.id);
      }
    } finally {
      await http.close();
      await plain.close();
    }
  });

  it('leaves paths that are not cached reads to tRPC, including names every object has', async () => {
    for (const path of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'blueprints.nope']) {
      const res = await get(path, { id });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code, path).toBe('NOT_FOUND');
    }
    expect((await get('blueprints.byId', { id })).status).toBe(200); // and the process is still serving
  });

  it('leaves batched requests to tRPC', async () => {
    await get('blueprints.byId', { id });
    const batch = await fetch(`${base}/trpc/blueprints.byId,blueprints.byId?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { id }, 1: { id } }))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(batch.status).toBe(200);
    const body = (await batch.json()) as { result: { data: { id: string } } }[];
    expect(body.map((b) => b.result.data.id)).toEqual([id, id]);
  });
});
