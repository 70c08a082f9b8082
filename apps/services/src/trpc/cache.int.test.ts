import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, makeDeps, scratchTenant } from '../testing/harness';
import { smallGraph } from '../testing/graphs';

describe('reads after mutations are never stale (real Redis)', () => {
  const deps = makeDeps();
  const other = makeDeps(); // a second service process sharing the same Redis
  afterAll(async () => {
    await deps.close();
    await other.close();
  });

  it('list and detail reflect every create, save, archive and restore immediately, on every process', async () => {
    const scratch = await scratchTenant('stale');
    const a = await callerFor(deps, scratch.admin);
    const b = await callerFor(other, scratch.admin);
    const warm = async () => Promise.all([a.blueprints.list({}), b.blueprints.list({}), a.projects.list(), b.projects.list()]);

    await warm();
    const { id } = await a.blueprints.create({ projectId: scratch.projectId, name: 'Fresh', cloud: 'aws', graph: smallGraph() });
    for (const c of [a, b]) {
      expect((await c.blueprints.list({})).items.map((x) => x.id)).toEqual([id]);
      expect((await c.projects.list())[0]?.blueprintCount).toBe(1);
    }

    for (const [i, size] of ['t3.small', 't3.medium', 't3.large'].entries()) {
      await Promise.all([a.blueprints.byId({ id }), b.blueprints.byId({ id }), a.blueprints.versions({ id }), warm()]);
      const writer = i % 2 === 0 ? a : b;
      await writer.blueprints.saveVersion({ id, baseVersion: i + 1, graph: smallGraph(size), message: size, name: `Fresh ${size}` });
      for (const c of [a, b]) {
        const detail = await c.blueprints.byId({ id });
        expect(detail.currentVersion).toBe(i + 2);
        expect(detail.graph.components.find((x) => x.id === 'vm')?.properties).toEqual({ instanceType: size });
        expect((await c.blueprints.list({})).items[0]?.name).toBe(`Fresh ${size}`);
        expect((await c.blueprints.versions({ id }))[0]?.number).toBe(i + 2);
      }
    }

    await b.blueprints.archive({ id });
    expect((await a.blueprints.list({})).total).toBe(0);
    expect((await a.blueprints.byId({ id })).archivedAt).not.toBeNull();
    expect((await a.projects.list())[0]?.blueprintCount).toBe(0);
    await a.blueprints.restore({ id });
    expect((await b.blueprints.list({})).total).toBe(1);
    expect((await b.blueprints.byId({ id })).archivedAt).toBeNull();
  });

  it('actually serves repeated reads from the cache', async () => {
    const scratch = await scratchTenant('hits');
    const a = await callerFor(deps, scratch.admin);
    const before = deps.cache.stats();
    for (let i = 0; i < 5; i++) await a.blueprints.list({ search: 'x' });
    const after = deps.cache.stats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(4);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const probe = spawn('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      probe.stdout.on('data', (d: Buffer) => (out += d.toString()));
      probe.on('close', () => resolve(out.trim() === 'PONG'));
    });
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not start on ${port}`);
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

describe('Redis outage in the middle of a run', () => {
  let port: number;
  let redis: ChildProcess;
  const dir = mkdtempSync(join(tmpdir(), 'dharma-redis-'));
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port, dir);
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    if (redis.exitCode === null) await stop(redis);
  });

  it('keeps answering from the database, counts errors, and resumes hits when Redis returns', async () => {
    const deps = makeDeps({ REDIS_URL: `redis://127.0.0.1:${port}`, CACHE_TIMEOUT_MS: '100' });
    try {
      const scratch = await scratchTenant('outage');
      const caller = await callerFor(deps, scratch.admin);
      const { id } = await caller.blueprints.create({ projectId: scratch.projectId, name: 'Survivor', cloud: 'aws', graph: smallGraph() });
      const read = async () => {
        const [one, list] = await Promise.all([caller.blueprints.byId({ id }), caller.blueprints.list({})]);
        expect(one.name).toBe('Survivor');
        expect(list.items.map((x) => x.id)).toEqual([id]);
      };

      await read();
      await read();
      const warm = deps.cache.stats();
      expect(warm.hits).toBeGreaterThan(0);
      expect(warm.errors).toBe(0);

      await stop(redis);
      const failures: unknown[] = [];
      for (let i = 0; i < 20; i++) await read().catch((e: unknown) => failures.push(e));
      expect(failures).toEqual([]);
      const down = deps.cache.stats();
      expect(down.errors).toBeGreaterThanOrEqual(20);
      const metrics = await deps.metrics.registry.getSingleMetricAsString('dharma_cache_operations_total');
      expect(metrics).toMatch(/result="error"\} [1-9]/);
      // A write during the outage still succeeds; the invalidation is retried once Redis is back.
      await caller.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'during outage', name: 'Survivor' });

      redis = await startRedis(port, dir);
      const deadline = Date.now() + 15_000;
      let hitsResumed = false;
      while (Date.now() < deadline && !hitsResumed) {
        const before = deps.cache.stats().hits;
        await read();
        await read();
        hitsResumed = deps.cache.stats().hits > before;
        if (!hitsResumed) await new Promise((r) => setTimeout(r, 200));
      }
      expect(hitsResumed).toBe(true);
      const after = await caller.blueprints.byId({ id });
      expect(after.currentVersion).toBe(2);
      expect(after.graph.components.find((c) => c.id === 'vm')?.properties).toEqual({ instanceType: 't3.large' });
      expect(unhandled).toEqual([]);
    } finally {
      await deps.close();
    }
  });
});
