import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TTestRedis } from '@dharma/cache/testing-redis';
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

  it('project counts follow creates without reloading the project list, and match the database on every process', async () => {
    const scratch = await scratchTenant('counts');
    const a = await callerFor(deps, scratch.admin);
    const b = await callerFor(other, scratch.admin);
    const truth = makeDeps({ CACHE_ENABLED: 'false' });
    try {
      const t = await callerFor(truth, scratch.admin);
      const loads = () => (deps.cache.statsByNamespace()['projects.list']?.loads ?? 0) + (other.cache.statsByNamespace()['projects.list']?.loads ?? 0);
      const patches = () => (deps.cache.statsByNamespace()['projects.list']?.patches ?? 0) + (other.cache.statsByNamespace()['projects.list']?.patches ?? 0);
      await Promise.all([a.projects.list(), b.projects.list()]);
      const [loadsBefore, patchesBefore] = [loads(), patches()];
      for (let i = 0; i < 3; i++) {
        await (i % 2 ? b : a).blueprints.create({ projectId: scratch.projectId, name: `Counted ${i}`, cloud: 'aws', graph: smallGraph() });
        for (const c of [a, b]) expect(await c.projects.list()).toEqual(await t.projects.list());
      }
      expect((await a.projects.list())[0]?.blueprintCount).toBe(3);
      expect(loads() - loadsBefore).toBe(0);
      expect(patches() - patchesBefore).toBe(3);
      // Concurrent creates from both processes: patched or reloaded, the counts are the database's.
      await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? b : a).blueprints.create({ projectId: scratch.projectId, name: `Together ${i}`, cloud: 'aws', graph: smallGraph() })));
      for (const c of [a, b]) expect((await c.projects.list())[0]?.blueprintCount).toBe(9);
      // A version save does not change a count, and no longer touches the project list.
      const { items } = await a.blueprints.list({ pageSize: 1 });
      // The concurrent creates may have left reloads of the project list in flight (refresh-ahead, off the
      // requests): wait until neither process has a load, an invalidation or a reload running or queued, and none
      // landed for 300 ms, so only what the save itself causes is counted.
      const busy = () =>
        [deps, other].some((d) => {
          const st = d.cache.stats();
          return st.inflight > 0 || st.pendingInvalidations > 0 || (st.refreshAhead !== null && st.refreshAhead.queued + st.refreshAhead.running > 0);
        });
      for (let seen = -1; busy() || seen !== loads(); ) {
        seen = loads();
        await new Promise((r) => setTimeout(r, 300));
      }
      const loadsBeforeSave = loads();
      await a.blueprints.saveVersion({ id: items[0]!.id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'bigger' });
      expect(await b.projects.list()).toEqual(await t.projects.list());
      expect(loads()).toBe(loadsBeforeSave);
    } finally {
      await truth.close();
    }
  });

  it('actually serves repeated reads from the cache', async () => {
    const scratch = await scratchTenant('hits');
    const a = await callerFor(deps, scratch.admin);
    // Counted for the list alone: each call also reads the caller's access entry (namespace auth.access).
    const list = () => deps.cache.statsByNamespace()['blueprints.list'] ?? { hits: 0, misses: 0 };
    const before = { ...list() };
    for (let i = 0; i < 5; i++) await a.blueprints.list({ search: 'x' });
    const after = list();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(4);
  });
});

describe('Redis outage in the middle of a run', () => {
  let redis: TTestRedis;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  beforeAll(async () => {
    redis = await startTestRedis();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await redis.dispose();
  });

  it('keeps answering from the database, counts errors, and resumes hits when Redis returns', async () => {
    const deps = makeDeps({ REDIS_URL: redis.url, CACHE_TIMEOUT_MS: '100' });
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

      await redis.stop();
      // Until this process reads the closed socket, its near cache still (rightly) answers what it holds: reads made
      // only of microtasks would never let it. Wait for the lapse, then every read must go to the database.
      const lapse = Date.now() + 5_000;
      while (deps.store.nearStats?.().tracking === true && Date.now() < lapse) await new Promise((r) => setTimeout(r, 10));
      expect(deps.store.nearStats?.().tracking ?? false).toBe(false);
      const failures: unknown[] = [];
      for (let i = 0; i < 20; i++) await read().catch((e: unknown) => failures.push(e));
      expect(failures).toEqual([]);
      const down = deps.cache.stats();
      expect(down.errors).toBeGreaterThanOrEqual(20);
      const metrics = await deps.metrics.registry.getSingleMetricAsString('dharma_cache_operations_total');
      expect(metrics).toMatch(/result="error"\} [1-9]/);
      // A write during the outage still succeeds; the invalidation is retried once Redis is back.
      await caller.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'during outage', name: 'Survivor' });

      await redis.start();
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
