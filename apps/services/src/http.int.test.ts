import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isApiError, type TDharmaClient } from '@dharma/sdk/client';
import { makeDeps, scratchTenant, seededUsers, startHttp, tokenFor } from './testing/harness';
import { smallGraph } from './testing/graphs';

const deps = makeDeps();
let server: Awaited<ReturnType<typeof startHttp>>;
let base: string;
let ada: TDharmaClient;
let adaToken: string;
let scratch: Awaited<ReturnType<typeof scratchTenant>>;
let admin: TDharmaClient;
let blueprintId: string;

beforeAll(async () => {
  server = await startHttp(deps);
  base = server.url;
  const users = await seededUsers(deps);
  adaToken = await tokenFor(users.ada, deps.env.AUTH_SECRET);
  ada = createClient(base, adaToken);
  scratch = await scratchTenant('http');
  admin = createClient(base, await tokenFor(scratch.admin, deps.env.AUTH_SECRET));
  blueprintId = (await admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'HTTP target', cloud: 'aws', graph: smallGraph() })).id;
});
afterAll(async () => {
  await server.close();
  await deps.close();
});

/** The HTTP status and message a rejected SDK call carried. */
async function failure(p: Promise<unknown>): Promise<{ status: number; code: string; message: string; fields: string[] }> {
  try {
    await p;
  } catch (error) {
    if (!isApiError(error)) throw error;
    const data = error.data as { httpStatus: number; code: string; issues?: { field: string }[] } | undefined;
    return { status: data?.httpStatus ?? 0, code: data?.code ?? '', message: error.message, fields: data?.issues?.map((i) => i.field) ?? [] };
  }
  throw new Error('expected the call to fail');
}

describe('the typed SDK over HTTP', () => {
  it('calls the routers with full types, batched', async () => {
    const [list, projects, me] = await Promise.all([ada.blueprints.list.query({ pageSize: 5 }), ada.projects.list.query(), ada.identity.me.query()]);
    expect(list.items.length).toBeGreaterThan(0);
    expect(projects.map((p) => p.slug)).toEqual(expect.arrayContaining(['storefront', 'data-platform']));
    expect(me.tenant.slug).toBe('acme');
  });

  it('writes and reads back through HTTP', async () => {
    const saved = await admin.blueprints.saveVersion.mutate({ id: blueprintId, baseVersion: 1, graph: smallGraph('t3.nano'), message: 'via SDK' });
    const bp = await admin.blueprints.byId.query({ id: blueprintId });
    expect(bp.currentVersion).toBe(saved.version);
    expect(bp.graph.components.find((c) => c.id === 'vm')?.properties).toEqual({ instanceType: 't3.nano' });
  });
});

describe('authentication', () => {
  it('answers 401 without a token, with a bad one, and with an expired one', async () => {
    const users = await seededUsers(deps);
    const expired = await tokenFor(users.ada, deps.env.AUTH_SECRET, -5);
    for (const token of ['', 'garbage', expired, adaToken.slice(0, -4) + 'AAAA']) {
      const f = await failure(createClient(base, token).blueprints.list.query({}));
      expect(f.status, token.slice(0, 12)).toBe(401);
    }
    expect((await failure(createClient(base, expired).blueprints.list.query({}))).message).toBe('bearer token expired');
  });

  it('keeps development sign-in on only when DEV_LOGIN is set', async () => {
    const directory = await createClient(base, '').identity.devDirectory.query();
    expect(directory.some((u) => u.email === 'ada@acme.test')).toBe(true);
    const off = makeDeps({ DEV_LOGIN: 'false' });
    const offServer = await startHttp(off);
    try {
      const { url } = offServer;
      expect((await failure(createClient(url, '').identity.devDirectory.query())).status).toBe(403);
      expect((await failure(createClient(url, '').identity.devSignIn.mutate({ userId: directory[0]!.userId }))).status).toBe(403);
    } finally {
      await offServer.close();
      await off.close();
    }
  });

  it('signs a development user in with a token the services accept', async () => {
    const anon = createClient(base, '');
    const [entry] = (await anon.identity.devDirectory.query()).filter((u) => u.email === 'vic@acme.test');
    const { token, user } = await anon.identity.devSignIn.mutate({ userId: entry!.userId });
    expect(user.roles).toEqual(['viewer']);
    expect((await createClient(base, token).identity.me.query()).email).toBe('vic@acme.test');
    expect((await failure(anon.identity.devSignIn.mutate({ userId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
  });
});

describe('bad input gets a 4xx naming the field, never a 500, and writes nothing', () => {
  const ghost = '00000000-0000-4000-8000-000000000000';
  const cases: [string, () => Promise<unknown>, number, string[]][] = [
    ['list: wrong types', () => admin.blueprints.list.query({ page: 'two', pageSize: 1000, cloud: 'ibm' } as never), 400, ['cloud', 'page', 'pageSize']],
    ['list: bad project id', () => admin.blueprints.list.query({ projectId: 'nope' }), 400, ['projectId']],
    ['byId: missing id', () => admin.blueprints.byId.query({} as never), 400, ['id']],
    ['byId: not a uuid', () => admin.blueprints.byId.query({ id: '1; drop table blueprints' }), 400, ['id']],
    ['byId: unknown id', () => admin.blueprints.byId.query({ id: ghost }), 404, ['id']],
    ['versions: unknown id', () => admin.blueprints.versions.query({ id: ghost }), 404, ['id']],
    ['version: unknown number', () => admin.blueprints.version.query({ id: blueprintId, number: 999 }), 404, ['number']],
    ['version: zero', () => admin.blueprints.version.query({ id: blueprintId, number: 0 }), 400, ['number']],
    ['diff: unknown to', () => admin.blueprints.diff.query({ id: blueprintId, from: 1, to: 999 }), 404, ['to']],
    ['diff: fractional from', () => admin.blueprints.diff.query({ id: blueprintId, from: 1.5, to: 1 }), 400, ['from']],
    ['create: missing fields', () => admin.blueprints.create.mutate({} as never), 400, ['projectId', 'name', 'cloud', 'graph']],
    ['create: blank name', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: '   ', cloud: 'aws', graph: smallGraph() }), 400, ['name']],
    ['create: unknown project', () => admin.blueprints.create.mutate({ projectId: ghost, name: 'x', cloud: 'aws', graph: smallGraph() }), 404, ['projectId']],
    ['create: dangling relation', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'dangling', cloud: 'aws', graph: { ...smallGraph(), relations: [{ from: 'vm', to: 'ghost', type: 'depends_on' }] } }), 400, ['graph.relations[0].to']],
    ['create: depends_on cycle', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'cycle', cloud: 'aws', graph: { ...smallGraph(), relations: [{ from: 'vm', to: 'subnet', type: 'depends_on' }, { from: 'subnet', to: 'vm', type: 'depends_on' }] } }), 400, ['graph.relations[0]']],
    ['create: unknown kind', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'kind', cloud: 'aws', graph: { components: [{ ...smallGraph().components[0]!, kind: 'mainframe' as never }] } }), 400, ['graph.components[0].kind']],
    ['create: oversized graph', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'huge', cloud: 'aws', graph: { components: Array.from({ length: 501 }, (_, i) => ({ ...smallGraph().components[2]!, id: `vm-${i}` })) } }), 400, ['graph.components']],
    // Postgres text and jsonb cannot hold U+0000: refused up front with the field, not failed in the database.
    ['list: NUL in search', () => admin.blueprints.list.query({ search: 'a\u0000b' }), 400, ['search']],
    ['create: NUL in name', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'nul\u0000name', cloud: 'aws', graph: smallGraph() }), 400, ['name']],
    ['create: NUL in description', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'nul description', description: 'x\u0000', cloud: 'aws', graph: smallGraph() }), 400, ['description']],
    ['create: NUL in a component name', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'nul component', cloud: 'aws', graph: { ...smallGraph(), components: smallGraph().components.map((c, i) => (i === 0 ? { ...c, name: 'bad\u0000' } : c)) } }), 400, ['graph.components[0].name']],
    ['create: NUL deep in a property', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'nul property', cloud: 'aws', graph: { ...smallGraph(), components: smallGraph().components.map((c, i) => (i === 0 ? { ...c, properties: { rules: [{ note: 'bad\u0000' }] } } : c)) } }), 400, ['graph.components[0].properties.rules[0].note']],
    ['create: NUL in a tag', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'nul tag', cloud: 'aws', graph: { ...smallGraph(), components: smallGraph().components.map((c, i) => (i === 0 ? { ...c, tags: { owner: '\u0000' } } : c)) } }), 400, ['graph.components[0].tags.owner']],
    ['create: NUL in a property name', () => admin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'nul key', cloud: 'aws', graph: { ...smallGraph(), components: smallGraph().components.map((c, i) => (i === 0 ? { ...c, properties: { 'a\u0000': 1 } } : c)) } }), 400, ['graph.components[0].properties.a\u0000']],
    ['saveVersion: NUL in message', () => admin.blueprints.saveVersion.mutate({ id: blueprintId, baseVersion: 2, graph: smallGraph(), message: 'm\u0000' }), 400, ['message']],
    ['saveVersion: missing message', () => admin.blueprints.saveVersion.mutate({ id: blueprintId, baseVersion: 2, graph: smallGraph(), message: '' }), 400, ['message']],
    ['saveVersion: stale base', () => admin.blueprints.saveVersion.mutate({ id: blueprintId, baseVersion: 1, graph: smallGraph(), message: 'stale' }), 409, ['baseVersion']],
    ['saveVersion: unknown id', () => admin.blueprints.saveVersion.mutate({ id: ghost, baseVersion: 1, graph: smallGraph(), message: 'x' }), 404, ['id']],
    ['archive: not a uuid', () => admin.blueprints.archive.mutate({ id: 42 as never }), 400, ['id']],
    ['archive: unknown id', () => admin.blueprints.archive.mutate({ id: ghost }), 404, ['id']],
    ['restore: unknown id', () => admin.blueprints.restore.mutate({ id: ghost }), 404, ['id']],
    ['devSignIn: not a uuid', () => createClient(base, '').identity.devSignIn.mutate({ userId: 'ada' }), 400, ['userId']],
  ];

  for (const [name, call, status, fields] of cases) {
    it(name, async () => {
      const f = await failure(call());
      expect(f.status).toBe(status);
      expect(f.fields).toEqual(expect.arrayContaining(fields));
      expect(f.message).toContain(fields[0]!);
    });
  }

  it('left nothing half-written', async () => {
    const names = (await admin.blueprints.list.query({ archived: 'all', pageSize: 100 })).items.map((b) => b.name);
    expect(names).toEqual(['HTTP target']);
    expect((await admin.blueprints.versions.query({ id: blueprintId })).map((v) => v.number)).toEqual([2, 1]);
  });

  it('answers a body over the limit with 413 and an unknown procedure with 404', async () => {
    const huge = JSON.stringify({ projectId: scratch.projectId, name: 'big', cloud: 'aws', graph: { components: [{ id: 'x', kind: 'vm', name: 'x'.repeat(2_000_000), cloud: 'aws', region: 'r' }] } });
    const res = await fetch(`${base}/trpc/blueprints.create`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adaToken}` }, body: huge });
    expect(res.status).toBe(413);
    const missing = await fetch(`${base}/trpc/blueprints.nope`, { headers: { authorization: `Bearer ${adaToken}` } });
    expect(missing.status).toBe(404);
    expect((await fetch(`${base}/trpc/%E0%A4%A`)).status).toBeLessThan(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const malformed = await fetch(`${base}/trpc/blueprints.create`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adaToken}` }, body: '{"projectId":' });
    expect(malformed.status).toBe(400);
  });
});

describe('running a subset of routers (SERVICES)', () => {
  it('serves only the named routers and names the bad variable otherwise', async () => {
    const subset = makeDeps({ SERVICES: 'health,identity' });
    const s = await startHttp(subset);
    try {
      const { url } = s;
      expect((await fetch(`${url}/trpc/health.ping`)).status).toBe(200);
      const off = await fetch(`${url}/trpc/blueprints.list`, { headers: { authorization: `Bearer ${adaToken}` } });
      expect(off.status).toBe(404);
      expect(((await off.json()) as { error: { message: string } }).error.message).toContain('not served by this process');
      expect((await fetch(`${url}/trpc/health.ping,blueprints.list?batch=1`)).status).toBe(404);
      expect((await fetch(`${url}/trpc/%E0%A4%A`)).status).toBe(400);
      expect((await fetch(`${url}/trpc/health.ping`)).status).toBe(200);
    } finally {
      await s.close();
      await subset.close();
    }
    expect(() => makeDeps({ SERVICES: 'blueprints,billing' })).toThrow(/^SERVICES is invalid: unknown router\(s\) billing/);
  });
});

describe('probes and metrics', () => {
  it('says in x-cache whether a read was served from the cache', async () => {
    const url = `${base}/trpc/blueprints.versions?input=${encodeURIComponent(JSON.stringify({ id: blueprintId }))}`;
    const headers = { authorization: `Bearer ${adaToken}` };
    const scratchHeaders = { authorization: `Bearer ${await tokenFor(scratch.admin, deps.env.AUTH_SECRET)}` };
    await admin.blueprints.saveVersion.mutate({ id: blueprintId, baseVersion: (await admin.blueprints.byId.query({ id: blueprintId })).currentVersion, graph: smallGraph('t3.xlarge'), message: 'x-cache' });
    const first = await fetch(url, { headers: scratchHeaders });
    const second = await fetch(url, { headers: scratchHeaders });
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect((await fetch(`${base}/trpc/identity.whoami`, { headers })).headers.get('x-cache')).toBeNull();
  });

  it('reports health, readiness with its checks, and Prometheus metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok', cache: 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of ['dharma_trpc_requests_total', 'dharma_trpc_request_duration_seconds_bucket', 'dharma_cache_operations_total', 'dharma_pgbouncer_client_active', 'dharma_db_pool_max', 'dharma_process_resident_memory_bytes']) {
      expect(metrics, name).toContain(name);
    }
    expect(metrics).toMatch(/dharma_pgbouncer_server_idle\{database="dharma",user="app_user"\} \d+/);
  });

  it('counts 1 miss then 9 hits for 10 identical reads', async () => {
    const fresh = makeDeps();
    const s = await startHttp(fresh);
    try {
      const { url } = s;
      const c = createClient(url, await tokenFor(scratch.admin, fresh.env.AUTH_SECRET), { maxBatchSize: 1 });
      // Busted through `fresh`, which has read nothing yet, so refresh-ahead has nothing to reload before the reads
      // (a save would rewrite the cached read instead, and the first read would hit).
      // Connected first: an invalidation sent before Redis is ready fails fast and is retried in the background.
      for (let i = 0; i < 100 && !(await fresh.store.ping().then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
      await fresh.cache.invalidate({ tenantId: scratch.tenantId, tags: [`blueprint:${blueprintId}`] });
      for (let i = 0; i < 10; i++) await c.blueprints.byId.query({ id: blueprintId });
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).toContain('dharma_cache_operations_total{namespace="blueprints.byId",result="miss"} 1');
      expect(text).toContain('dharma_cache_operations_total{namespace="blueprints.byId",result="hit"} 9');
      expect(text).toContain('dharma_trpc_requests_total{procedure="blueprints.byId",type="query",status="OK"} 10');
    } finally {
      await s.close();
      await fresh.close();
    }
  });
});
