import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@dharma/db/tenant';
import { createClient, isApiError, type TDharmaClient } from '@dharma/sdk/client';
import { makeDeps, scratchTenant, startHttp, tokenFor } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

const deps = makeDeps();
let server: Awaited<ReturnType<typeof startHttp>>;
let scratch: Awaited<ReturnType<typeof scratchTenant>>;
let other: Awaited<ReturnType<typeof scratchTenant>>;
let token: string;
let client: TDharmaClient;

beforeAll(async () => {
  server = await startHttp(deps);
  scratch = await scratchTenant('idem');
  other = await scratchTenant('idem-other');
  token = await tokenFor(scratch.admin, deps.env.AUTH_SECRET);
  client = createClient(server.url, token);
});
afterAll(async () => {
  await server.close();
  await deps.close();
});

const countIn = async (tenantId: string, table: 'blueprints' | 'blueprint_versions', where = sql`true`) =>
  (await withTenant(deps.db.db, tenantId, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`)))[0]!.n;

/** POSTs a mutation with exactly the headers given (no SDK), and returns the status and parsed body. */
async function post(path: string, input: unknown, headers: Record<string, string>, bearer = token) {
  const res = await fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, ...headers },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { result?: { data: Record<string, unknown> }; error?: { message: string; data: Record<string, unknown> } } };
}

describe('Idempotency-Key on creating mutations', () => {
  it('a retried create returns the first result and writes one blueprint', async () => {
    const input = { projectId: scratch.projectId, name: 'Once only', cloud: 'aws' as const, graph: smallGraph() };
    const first = await post('blueprints.create', input, { 'idempotency-key': 'create-once-1' });
    const again = await post('blueprints.create', input, { 'idempotency-key': 'create-once-1' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(first.body.result?.data).toMatchObject({ version: 1, replayed: false });
    expect(again.body.result?.data).toEqual({ ...first.body.result?.data, replayed: true });
    expect(await countIn(scratch.tenantId, 'blueprints', sql`name = 'Once only'`)).toBe(1);
    // Without a key the same request is a second create, refused here only because the name is taken.
    expect((await post('blueprints.create', input, {})).status).toBe(409);
  });

  it('twenty concurrent creates with one key make one blueprint, and all get its id', async () => {
    const input = { projectId: scratch.projectId, name: 'Raced', cloud: 'aws' as const, graph: smallGraph() };
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('blueprints.create', input, { 'idempotency-key': 'raced-key' })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const ids = new Set(answers.map((a) => a.body.result?.data.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.result?.data.replayed === false)).toHaveLength(1);
    expect(await countIn(scratch.tenantId, 'blueprints', sql`name = 'Raced'`)).toBe(1);
  });

  it('a key reused for a different create is refused (422 naming Idempotency-Key); nothing is written', async () => {
    await post('blueprints.create', { projectId: scratch.projectId, name: 'Keyed A', cloud: 'aws', graph: smallGraph() }, { 'idempotency-key': 'reused' });
    const r = await post('blueprints.create', { projectId: scratch.projectId, name: 'Keyed B', cloud: 'aws', graph: smallGraph() }, { 'idempotency-key': 'reused' });
    expect(r.status).toBe(422);
    expect(r.body.error?.message).toMatch(/^Idempotency-Key: /);
    expect(r.body.error?.data.issues).toEqual([{ field: 'Idempotency-Key', message: expect.stringContaining('already used') }]);
    expect(await countIn(scratch.tenantId, 'blueprints', sql`name = 'Keyed B'`)).toBe(0);
  });

  it('a malformed key is a 400 naming the header, and nothing is written', async () => {
    for (const key of ['x'.repeat(201), 'has space', 'tab\tinside']) {
      const r = await post('blueprints.create', { projectId: scratch.projectId, name: `Bad key ${key.length}`, cloud: 'aws', graph: smallGraph() }, { 'idempotency-key': key });
      expect(r.status).toBe(400);
      expect(r.body.error?.data.issues).toEqual([{ field: 'Idempotency-Key', message: expect.stringContaining('visible ASCII') }]);
    }
    expect(await countIn(scratch.tenantId, 'blueprints', sql`name like 'Bad key%'`)).toBe(0);
  });

  it('keys belong to their tenant: another tenant using the same key creates its own blueprint', async () => {
    const otherToken = await tokenFor(other.admin, deps.env.AUTH_SECRET);
    const mine = await post('blueprints.create', { projectId: scratch.projectId, name: 'Shared key', cloud: 'aws', graph: smallGraph() }, { 'idempotency-key': 'shared-key' });
    const theirs = await post('blueprints.create', { projectId: other.projectId, name: 'Shared key', cloud: 'aws', graph: smallGraph() }, { 'idempotency-key': 'shared-key' }, otherToken);
    expect(theirs.body.result?.data).toMatchObject({ replayed: false });
    expect(theirs.body.result?.data.id).not.toBe(mine.body.result?.data.id);
    expect(await countIn(other.tenantId, 'blueprints', sql`name = 'Shared key'`)).toBe(1);
  });

  it('a retried version save returns the first version, and a reused key for another save is refused', async () => {
    const { id } = await client.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Saved once', cloud: 'aws', graph: smallGraph() });
    const input = { id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'bigger' };
    const first = await post('blueprints.saveVersion', input, { 'idempotency-key': 'save-once' });
    const again = await post('blueprints.saveVersion', input, { 'idempotency-key': 'save-once' });
    expect(first.body.result?.data).toMatchObject({ version: 2, unchanged: false, replayed: false });
    expect(again.body.result?.data).toMatchObject({ version: 2, replayed: true, graphHash: first.body.result?.data.graphHash });
    expect(await countIn(scratch.tenantId, 'blueprint_versions', sql`blueprint_id = ${id}`)).toBe(2);
    const other = await post('blueprints.saveVersion', { ...input, baseVersion: 2, graph: smallGraph('t3.xlarge') }, { 'idempotency-key': 'save-once' });
    expect(other.status).toBe(422);
  });
});

describe('saving what is already there', () => {
  it('makes no version, answers unchanged, and leaves cached reads in place', async () => {
    const { id } = await client.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Unchanged', cloud: 'aws', graph: smallGraph() });
    await client.blueprints.list.query({ projectId: scratch.projectId });
    const before = deps.cache.stats().invalidations;
    const saved = await client.blueprints.saveVersion.mutate({ id, baseVersion: 1, graph: smallGraph(), message: 'no real change' });
    expect(saved).toMatchObject({ version: 1, unchanged: true, replayed: false });
    expect(deps.cache.stats().invalidations).toBe(before);
    expect(await countIn(scratch.tenantId, 'blueprint_versions', sql`blueprint_id = ${id}`)).toBe(1);
    // A new name with the same design is written, without a version.
    const renamed = await client.blueprints.saveVersion.mutate({ id, baseVersion: 1, graph: smallGraph(), message: 'rename', name: 'Unchanged, renamed' });
    expect(renamed).toMatchObject({ version: 1, unchanged: false });
    expect((await client.blueprints.byId.query({ id })).name).toBe('Unchanged, renamed');
  });

  it('a conflict says which version is current (data.currentVersion)', async () => {
    const { id } = await client.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Conflicted', cloud: 'aws', graph: smallGraph() });
    await client.blueprints.saveVersion.mutate({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'first' });
    const error = await client.blueprints.saveVersion.mutate({ id, baseVersion: 1, graph: smallGraph('t3.small'), message: 'stale' }).catch((e: unknown) => e);
    expect(isApiError(error) && error.data).toMatchObject({ httpStatus: 409, currentVersion: 2 });
  });
});

describe('the SDK retries 503s with the same key', () => {
  it('a create whose first answer was a 503 is retried once with the same Idempotency-Key and applied once', async () => {
    const seen: (string | null)[] = [];
    let failed = false;
    const flaky: typeof fetch = async (url, init) => {
      const key = new Headers(init?.headers).get('idempotency-key');
      seen.push(key);
      const res = await fetch(url, init);
      if (!failed) {
        // The write went through, but its answer is lost: what a client sees when a proxy times out.
        failed = true;
        return new Response(JSON.stringify({ error: { message: 'unavailable', code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } }), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' } });
      }
      return res;
    };
    const sdk = createClient(server.url, token, { fetch: flaky, retryDelayMs: () => 10 });
    const created = await sdk.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Retried by the SDK', cloud: 'aws', graph: smallGraph() });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]).toBe(seen[0]);
    expect(created.replayed).toBe(true);
    expect(await countIn(scratch.tenantId, 'blueprints', sql`name = 'Retried by the SDK'`)).toBe(1);
  });

  it('does not retry a user mistake', async () => {
    let calls = 0;
    const counting: typeof fetch = (url, init) => {
      calls += 1;
      return fetch(url, init);
    };
    const sdk = createClient(server.url, token, { fetch: counting, retryDelayMs: () => 10 });
    await expect(sdk.blueprints.create.mutate({ projectId: scratch.projectId, name: '', cloud: 'aws', graph: smallGraph() })).rejects.toThrow(/name/);
    expect(calls).toBe(1);
  });
});
