import { describe, expect, it, vi } from 'vitest';
import { createCache } from './cache';
import { CacheUsageError, decodeEntry, entryKey } from './entry';
import { createMemoryStore } from './memory-store';
import type { TCacheEvent } from './cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const T1 = 'tenant-a';
const T2 = 'tenant-b';

function setup(clock?: { now(): number }) {
  const store = createMemoryStore({ maxEntries: 1000, ...(clock === undefined ? {} : { clock }) });
  const events: TCacheEvent[] = [];
  const cache = createCache({ store, onEvent: (e) => events.push(e) });
  return { store, cache, events };
}

describe('createCache on the memory store', () => {
  it('misses once, then hits with the same JSON value without calling the loader', async () => {
    const { cache, events } = setup();
    const value = { id: 'b1', tags: ['x'], n: 1.5, nested: { ok: true, none: null } };
    const loader = vi.fn(async () => value);
    const params = { tenantId: T1, namespace: 'blueprints.get', key: 'b1', tags: ['blueprint:b1'] };

    const first = await cache.getOrLoad(params, loader);
    const second = await cache.getOrLoad(params, loader);

    expect(first).toEqual({ value, status: 'miss' });
    expect(second).toEqual({ value, status: 'hit' });
    expect(second.value).not.toBe(value);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, errors: 0, loads: 1, inflight: 0 });
    expect(cache.statsByNamespace()['blueprints.get']).toMatchObject({ hits: 1, misses: 1 });
    expect(events.map((e) => e.type)).toEqual(['miss', 'hit']);
    expect(events.every((e) => e.namespace === 'blueprints.get' && e.durationMs >= 0 && !('error' in e))).toBe(true);
  });

  it('caches undefined and falsy values as hits', async () => {
    const { cache } = setup();
    for (const [key, value] of [['u', undefined], ['z', 0], ['f', false], ['e', ''], ['n', null]] as const) {
      const params = { tenantId: T1, namespace: 'ns', key };
      await cache.getOrLoad(params, async () => value);
      const again = await cache.getOrLoad(params, async () => 'reloaded');
      expect(again).toEqual({ value, status: 'hit' });
    }
  });

  it('never shares entries between tenants with the same namespace and key', async () => {
    const { cache } = setup();
    const params = { namespace: 'projects.list', key: 'same', tags: ['projects'] };

    await cache.getOrLoad({ ...params, tenantId: T1 }, async () => ['a-secret']);
    const b = await cache.getOrLoad({ ...params, tenantId: T2 }, async () => ['b-own']);
    const aAgain = await cache.getOrLoad({ ...params, tenantId: T1 }, async () => ['unused']);

    expect(b).toEqual({ value: ['b-own'], status: 'miss' });
    expect(aAgain).toEqual({ value: ['a-secret'], status: 'hit' });

    // A tag bump in tenant B leaves tenant A's entry alone.
    await cache.invalidate({ tenantId: T2, tags: ['projects'] });
    expect((await cache.getOrLoad({ ...params, tenantId: T1 }, async () => ['unused'])).status).toBe('hit');
    expect((await cache.getOrLoad({ ...params, tenantId: T2 }, async () => ['b-new'])).status).toBe('miss');
  });

  it('turns the next read into a miss with the new value after a tag invalidation', async () => {
    const { cache, events } = setup();
    const params = { tenantId: T1, namespace: 'blueprints.get', key: 'b1', tags: ['blueprint:b1', 'blueprints'] };
    await cache.getOrLoad(params, async () => 'v1');
    await cache.getOrLoad({ ...params, key: 'other', tags: ['blueprint:b2'] }, async () => 'o1');

    expect(await cache.invalidate({ tenantId: T1, tags: ['blueprints'] })).toEqual({ ok: true, patched: 0 });

    expect(await cache.getOrLoad(params, async () => 'v2')).toEqual({ value: 'v2', status: 'miss' });
    expect(await cache.getOrLoad(params, async () => 'v3')).toEqual({ value: 'v2', status: 'hit' });
    // An entry without the bumped tag is unaffected.
    expect(await cache.getOrLoad({ ...params, key: 'other', tags: ['blueprint:b2'] }, async () => 'o2')).toEqual({
      value: 'o1',
      status: 'hit',
    });
    expect(events.filter((e) => e.type === 'invalidate')).toHaveLength(1);
    expect(cache.stats().invalidations).toBe(1);
  });

  it('never serves a value whose load overlapped an invalidation', async () => {
    const { cache, store } = setup();
    const params = { tenantId: T1, namespace: 'blueprints.get', key: 'b1', tags: ['blueprint:b1'] };
    const slow = deferred<string>();

    // The load starts, reading the tag version, and is still running when the mutation invalidates.
    const stale = cache.getOrLoad(params, () => slow.promise);
    await vi.waitFor(() => expect(cache.stats().inflight).toBe(1));
    await cache.invalidate({ tenantId: T1, tags: ['blueprint:b1'] });

    // A read that starts after the invalidation must not join the older load.
    const fresh = await cache.getOrLoad(params, async () => 'new');
    expect(fresh).toEqual({ value: 'new', status: 'miss' });

    slow.resolve('old');
    expect(await stale).toEqual({ value: 'old', status: 'miss' });
    // The stale load was written last, stamped with the pre-invalidation version...
    const [raw] = await store.mget([entryKey('dharma', T1, 'blueprints.get', 'b1')]);
    expect(decodeEntry(raw)?.json).toBe('"old"');
    // ...so it is not served: the next read is a miss.
    expect(await cache.getOrLoad(params, async () => 'newer')).toEqual({ value: 'newer', status: 'miss' });
    expect(await cache.getOrLoad(params, async () => 'unused')).toEqual({ value: 'newer', status: 'hit' });
  });

  it('shares one loader call between concurrent misses', async () => {
    const { cache } = setup();
    const gate = deferred<{ rows: number[] }>();
    const loader = vi.fn(() => gate.promise);
    const params = { tenantId: T1, namespace: 'costs.list', key: 'k', tags: ['costs'] };

    const calls = Array.from({ length: 10 }, () => cache.getOrLoad(params, loader));
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(1));
    expect(cache.stats().inflight).toBe(1);
    gate.resolve({ rows: [1, 2, 3] });
    const results = await Promise.all(calls);

    expect(loader).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.status === 'miss' && r.value.rows.join() === '1,2,3')).toBe(true);
    expect(cache.stats()).toMatchObject({ misses: 10, loads: 1, inflight: 0 });
    expect((await cache.getOrLoad(params, loader)).status).toBe('hit');
  });

  it('propagates loader errors unchanged to every waiter, caches nothing and retries next time', async () => {
    const { cache } = setup();
    const params = { tenantId: T1, namespace: 'ns', key: 'k' };
    const boom = new Error('db down');
    const failing = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw boom;
    });

    const both = await Promise.allSettled([cache.getOrLoad(params, failing), cache.getOrLoad(params, failing)]);
    expect(both).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(cache.stats().inflight).toBe(0);

    const retry = vi.fn(async () => 'ok');
    expect(await cache.getOrLoad(params, retry)).toEqual({ value: 'ok', status: 'miss' });
    expect(retry).toHaveBeenCalledTimes(1);
    expect(cache.stats().errors).toBe(0);
  });

  it('expires entries after their TTL, capped by maxTtlSeconds', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ maxEntries: 100, clock: { now: () => now } });
    const cache = createCache({ store, maxTtlSeconds: 10 });
    const short = { tenantId: T1, namespace: 'ns', key: 'short', ttlSeconds: 2 };
    const long = { tenantId: T1, namespace: 'ns', key: 'long', ttlSeconds: 3600 };
    await cache.getOrLoad(short, async () => 1);
    await cache.getOrLoad(long, async () => 1);

    now += 1_999;
    expect((await cache.getOrLoad(short, async () => 2)).status).toBe('hit');
    now += 2;
    expect(await cache.getOrLoad(short, async () => 2)).toEqual({ value: 2, status: 'miss' });

    now += 10_000 - 2_001 - 1;
    expect((await cache.getOrLoad(long, async () => 2)).status).toBe('hit');
    now += 2;
    expect((await cache.getOrLoad(long, async () => 2)).status).toBe('miss');
  });

  it('never revives a stale entry when a tag version expires and is bumped again', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ maxEntries: 100, clock: { now: () => now } });
    const cache = createCache({ store, maxTtlSeconds: 10, tagTtlSeconds: 20 });
    const params = { tenantId: T1, namespace: 'ns', key: 'k', tags: ['blueprints'], ttlSeconds: 10 };
    await cache.invalidate({ tenantId: T1, tags: ['blueprints'] });

    now += 19_000; // the entry is stored late in the tag's life and outlives the tag version
    await cache.getOrLoad(params, async () => 'old');
    now += 2_000; // the tag version expired; a mutation bumps it again
    await cache.invalidate({ tenantId: T1, tags: ['blueprints'] });

    // Restarting the version at 1 would have matched the old stamp; a fresh random base does not.
    expect(await cache.getOrLoad(params, async () => 'new')).toEqual({ value: 'new', status: 'miss' });
  });

  it('treats a corrupt stored entry as a miss and overwrites it', async () => {
    const { cache, store } = setup();
    await store.set(entryKey('dharma', T1, 'ns', 'k'), 'not json{', 60_000);
    expect(await cache.getOrLoad({ tenantId: T1, namespace: 'ns', key: 'k' }, async () => 7)).toEqual({
      value: 7,
      status: 'miss',
    });
    expect((await cache.getOrLoad({ tenantId: T1, namespace: 'ns', key: 'k' }, async () => 8)).status).toBe('hit');
  });

  it('bypasses the cache on request, without reading or writing', async () => {
    const { cache, store } = setup();
    const params = { tenantId: T1, namespace: 'ns', key: 'k' };
    expect(await cache.getOrLoad({ ...params, bypass: true }, async () => 1)).toEqual({ value: 1, status: 'bypass' });
    expect((await store.info()).keys).toBe(0);
    expect(cache.stats()).toMatchObject({ bypass: 1, loads: 1, misses: 0 });
  });

  it('rejects caller bugs synchronously, before touching the store', () => {
    const { cache } = setup();
    const loader = async () => 1;
    const bad = [
      { tenantId: '', namespace: 'ns', key: 'k' },
      { tenantId: 'a:e:ns', namespace: 'ns', key: 'k' },
      { tenantId: 't', namespace: 'a:b', key: 'k' },
      { tenantId: 't', namespace: '', key: 'k' },
      { tenantId: 't', namespace: 'ns', key: '' },
      { tenantId: 't', namespace: 'ns', key: 'k', tags: [''] },
      { tenantId: 't', namespace: 'ns', key: 'k', ttlSeconds: 0 },
    ];
    for (const params of bad) expect(() => cache.getOrLoad(params, loader)).toThrow(CacheUsageError);
    expect(() => cache.invalidate({ tenantId: '', tags: ['x'] })).toThrow(CacheUsageError);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, errors: 0, loads: 0 });
  });
});
