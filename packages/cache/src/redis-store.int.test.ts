import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from './cache';
import { tagKey } from './entry';
import { createRedisStore } from './redis-store';
import type { TCacheStatus } from './cache';
import type { TCacheStore } from './store';
import { startTestRedis, type TTestRedis } from './testing-redis';

// A real redis-server per test file, on a free port in a temp dir, so nothing collides with a system Redis.
let redis: TTestRedis;
const stores: TCacheStore[] = [];
type TRedisStore = ReturnType<typeof createRedisStore>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A connected store; like a service, waits for the connection before reading (an unready store fails fast). */
async function store(): Promise<TRedisStore> {
  // Silent: the outage test provokes the connection errors this would log.
  const created = createRedisStore(redis.url, { log: () => {} });
  stores.push(created);
  await waitUntilReady(created);
  return created;
}

async function waitUntilReady(s: TCacheStore): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await s.ping();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  redis = await startTestRedis();
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis.dispose();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('createRedisStore against a real redis-server', () => {
  it('sets, reads many keys in one call, and expires by TTL', async () => {
    const s = await store();
    await s.set('it:a', 'A', 60_000);
    await s.set('it:short', 'S', 150);
    expect(await s.mget(['it:a', 'it:missing', 'it:short'])).toEqual(['A', null, 'S']);
    await sleep(300);
    expect(await s.mget(['it:a', 'it:short'])).toEqual(['A', null]);
  });

  it('seeds missing versions from a random base, then bumps them by one with a refreshed TTL', async () => {
    const s = await store();

    await s.incr(['it:g:fresh'], 10_000);
    const [bumped] = await s.mget(['it:g:fresh']);
    expect(BigInt(bumped ?? '0')).toBeGreaterThan(1_000_000n);

    const [seeded] = await s.ensureVersions(['it:g:seeded'], 10_000);
    expect(await s.ensureVersions(['it:g:seeded', 'it:g:fresh'], 10_000)).toEqual([seeded, bumped]);
    await s.client.pexpire('it:g:seeded', 50);
    await s.incr(['it:g:seeded'], 20_000);
    expect(await s.mget(['it:g:seeded'])).toEqual([(BigInt(seeded ?? '0') + 1n).toString()]);
    expect(Number(await s.client.pttl('it:g:seeded'))).toBeGreaterThan(10_000);
  });

  it('reports real INFO numbers', async () => {
    const s = await store();
    await s.set('it:info', 'x', 60_000);
    const info = await s.info();
    expect(info).toMatchObject({ kind: 'redis', connected: true });
    expect(info.usedMemoryBytes).toBeGreaterThan(0);
    expect(info.keys).toBeGreaterThanOrEqual(1);
    expect(info.connectedClients).toBeGreaterThanOrEqual(1);
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('caches through Redis: one miss, then hits', async () => {
    const cache = createCache({ store: await store(), timeoutMs: 500 });
    let loads = 0;
    const params = { tenantId: 't-int', namespace: 'blueprints.get', key: 'b1', tags: ['blueprint:b1'] };
    const statuses: TCacheStatus[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { value, status } = await cache.getOrLoad(params, async () => ({ id: 'b1', load: ++loads }));
      expect(value).toEqual({ id: 'b1', load: 1 });
      statuses.push(status);
    }
    expect(statuses).toEqual(['miss', 'hit', 'hit', 'hit', 'hit']);
  });

  it('invalidates across two service processes sharing one Redis', async () => {
    const a = createCache({ store: await store(), timeoutMs: 500 });
    const b = createCache({ store: await store(), timeoutMs: 500 });
    const params = { tenantId: 't-two', namespace: 'projects.list', key: 'all', tags: ['projects'] };
    expect(await a.getOrLoad(params, async () => ['p1'])).toEqual({ value: ['p1'], status: 'miss' });
    expect(await b.getOrLoad(params, async () => ['unused'])).toEqual({ value: ['p1'], status: 'hit' });

    expect(await b.invalidate({ tenantId: 't-two', tags: ['projects'] })).toEqual({ ok: true, patched: 0 });

    expect(await a.getOrLoad(params, async () => ['p1', 'p2'])).toEqual({ value: ['p1', 'p2'], status: 'miss' });
    expect(await b.getOrLoad(params, async () => ['unused'])).toEqual({ value: ['p1', 'p2'], status: 'hit' });
  });

  it('never revives a stale entry when Redis evicts a tag version', async () => {
    const s = await store();
    const cache = createCache({ store: s, timeoutMs: 500 });
    const params = { tenantId: 't-evict', namespace: 'ns', key: 'k', tags: ['blueprints'] };
    await cache.getOrLoad(params, async () => 'old');
    await cache.invalidate({ tenantId: 't-evict', tags: ['blueprints'] });
    // What maxmemory eviction would do to the tag version while the stale entry survives.
    await s.client.del(tagKey('dharma', 't-evict', 'blueprints'));
    expect(await cache.getOrLoad(params, async () => 'new')).toEqual({ value: 'new', status: 'miss' });
    expect(await cache.getOrLoad(params, async () => 'unused')).toEqual({ value: 'new', status: 'hit' });
  });

  it('answers from the loader while Redis hangs (SIGSTOP), and hits again after SIGCONT', async () => {
    const cache = createCache({ store: await store(), timeoutMs: 100 });
    const params = { tenantId: 't-hang', namespace: 'ns', key: 'k' };
    await cache.getOrLoad(params, async () => 'v');
    redis.signal('SIGSTOP');
    try {
      const started = performance.now();
      expect(await cache.getOrLoad(params, async () => 'v')).toEqual({ value: 'v', status: 'error' });
      expect(performance.now() - started).toBeLessThan(400);
    } finally {
      redis.signal('SIGCONT');
    }
    const deadline = Date.now() + 5000;
    let last: TCacheStatus = 'error';
    while (last !== 'hit' && Date.now() < deadline) {
      last = (await cache.getOrLoad(params, async () => 'v')).status;
      if (last !== 'hit') await sleep(50);
    }
    expect(last).toBe('hit');
  });

  it('keeps answering correctly while Redis is killed, and recovers when it restarts on the same port', async () => {
    const s = await store();
    const cache = createCache({ store: s, timeoutMs: 100 });
    const tenantId = 't-outage';
    const read = (i: number) =>
      cache.getOrLoad({ tenantId, namespace: 'items.get', key: `item-${i % 5}`, tags: [`item:${i % 5}`] }, async () => ({
        id: i % 5,
      }));

    for (let i = 0; i < 10; i += 1) expect((await read(i)).value).toEqual({ id: i % 5 });
    expect((await read(0)).status).toBe('hit');
    const errorsBefore = cache.stats().errors;

    await redis.stop();
    const outage: TCacheStatus[] = [];
    for (let i = 0; i < 40; i += 1) {
      const started = performance.now();
      const result = await read(i);
      expect(result.value).toEqual({ id: i % 5 });
      expect(performance.now() - started).toBeLessThan(500);
      outage.push(result.status);
      await sleep(10);
    }
    expect(outage.every((status) => status === 'error')).toBe(true);
    expect(cache.stats().errors - errorsBefore).toBe(40);
    expect((await s.info()).connected).toBe(false);
    await expect(s.ping()).rejects.toThrow();
    expect(await cache.invalidate({ tenantId, tags: ['item:0'] })).toEqual({ ok: false, patched: 0 });

    await redis.start();
    const after: TCacheStatus[] = [];
    const deadline = Date.now() + 5000;
    while (after.at(-1) !== 'hit' && Date.now() < deadline) {
      const result = await read(1);
      expect(result.value).toEqual({ id: 1 });
      after.push(result.status);
      if (result.status !== 'hit') await sleep(50);
    }
    // Errors until the client reconnects, then exactly one miss (the restarted Redis is empty), then hits.
    expect(after.at(-1)).toBe('hit');
    expect(after.filter((status) => status === 'miss')).toHaveLength(1);
    expect(after.slice(0, -2).every((status) => status === 'error')).toBe(true);
    expect((await s.info()).connected).toBe(true);
  });
});
