import { describe, expect, it, vi } from 'vitest';
import { createCache } from './cache';
import { createMemoryStore } from './memory-store';
import { createRefreshAhead } from './refresh-ahead';

const T = 'tenant-a';
const params = { tenantId: T, namespace: 'blueprints.list', key: 'page-1', tags: ['blueprints'] };
/** Lets queued reloads (promises and store calls) run to the end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function setup(refreshAhead: Parameters<typeof createCache>[0]['refreshAhead'] = {}) {
  const cache = createCache({ store: createMemoryStore({ maxEntries: 1000 }), refreshAhead });
  let version = 1;
  const loader = vi.fn(async () => ({ version }));
  return { cache, loader, bump: () => (version += 1) };
}

describe('refresh-ahead', () => {
  it('reloads a recently read entry after its tag is bumped, so the next reader hits the new value', async () => {
    const { cache, loader, bump } = setup();
    await cache.getOrLoad(params, loader);
    bump();
    await cache.invalidate({ tenantId: T, tags: ['blueprints'] });
    await settle();
    expect(loader).toHaveBeenCalledTimes(2);
    await expect(cache.getOrLoad(params, loader)).resolves.toEqual({ value: { version: 2 }, status: 'hit' });
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 1, refreshes: 1, loads: 2 });
  });

  it('is off unless asked for: the next reader misses', async () => {
    const { cache, loader, bump } = setup(false);
    await cache.getOrLoad(params, loader);
    bump();
    await cache.invalidate({ tenantId: T, tags: ['blueprints'] });
    await settle();
    expect(loader).toHaveBeenCalledTimes(1);
    await expect(cache.getOrLoad(params, loader)).resolves.toEqual({ value: { version: 2 }, status: 'miss' });
    expect(cache.stats().refreshAhead).toBeNull();
  });

  it('reloads only entries under the bumped tags, and not other tenants', async () => {
    const { cache, loader } = setup();
    const other = vi.fn(async () => 'other');
    await cache.getOrLoad(params, loader);
    await cache.getOrLoad({ ...params, key: 'b1', namespace: 'blueprints.byId', tags: ['blueprint:b1'] }, other);
    await cache.getOrLoad({ ...params, tenantId: 'tenant-b' }, other);
    await cache.invalidate({ tenantId: T, tags: ['blueprints'] });
    await settle();
    expect(loader).toHaveBeenCalledTimes(2);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it('never serves a value loaded across a later invalidation: a reload that raced a bump is a miss', async () => {
    const store = createMemoryStore({ maxEntries: 1000 });
    const cache = createCache({ store, refreshAhead: { concurrency: 1 } });
    let release!: () => void;
    let version = 1;
    const loader = vi.fn(async () => {
      const seen = version;
      if (loader.mock.calls.length === 2) await new Promise<void>((r) => (release = r));
      return { version: seen };
    });
    await cache.getOrLoad(params, loader);
    version = 2;
    await cache.invalidate({ tenantId: T, tags: ['blueprints'] });
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2));
    // The reload read version 2 and is still running; now version 3 is committed and invalidated.
    version = 3;
    await cache.invalidate({ tenantId: T, tags: ['blueprints'] });
    release();
    await settle();
    const next = await cache.getOrLoad(params, loader);
    expect(next.value).toEqual({ version: 3 });
  });

  it('coalesces: many bumps queue one reload per entry, and no more run at once than allowed', async () => {
    const refresher = createRefreshAhead({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    const gate: (() => void)[] = [];
    const reload = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        gate.push(() => {
          running -= 1;
          resolve();
        });
      });
    for (let i = 0; i < 5; i += 1) refresher.touch(`e${i}`, { tagKeys: ['t'], reload });
    for (let i = 0; i < 10; i += 1) refresher.bumped(['t']);
    // Two run; the other three wait once each, and the two running were queued once more by the later bumps (a bump
    // during a reload may have made it stale), however many bumps came.
    expect(refresher.stats()).toMatchObject({ running: 2, queued: 5 });
    while (gate.length > 0) {
      gate.shift()!();
      await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(peak).toBe(2);
    expect(refresher.stats()).toMatchObject({ running: 0, queued: 0 });
    expect(refresher.stats().reloads).toBe(7);
  });

  it('forgets reads older than the window and keeps at most maxEntries', () => {
    let now = 0;
    const refresher = createRefreshAhead({ windowMs: 1000, maxEntries: 3, concurrency: 0 }, () => now);
    const reload = vi.fn(async () => {});
    for (let i = 0; i < 5; i += 1) refresher.touch(`e${i}`, { tagKeys: ['t'], reload });
    expect(refresher.stats().remembered).toBe(3);
    now = 2000;
    refresher.touch('fresh', { tagKeys: ['t'], reload });
    expect(refresher.bumped(['t'])).toBe(1);
    expect(refresher.stats().remembered).toBe(1);
  });

  it('reloads an entry at most once per minIntervalMs: bumps within it wait and share one reload', async () => {
    const refresher = createRefreshAhead({ minIntervalMs: 60 });
    const reload = vi.fn(async () => {});
    refresher.touch('e', { tagKeys: ['t'], reload });
    refresher.bumped(['t']);
    await settle();
    expect(reload).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i += 1) refresher.bumped(['t']);
    await settle();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(refresher.stats().queued).toBe(1);
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(2), { timeout: 1000, interval: 10 });
    await settle();
    expect(reload).toHaveBeenCalledTimes(2);
    expect(refresher.stats().queued).toBe(0);
  });

  it('counts a failed reload and carries on', async () => {
    const refresher = createRefreshAhead({});
    refresher.touch('e', { tagKeys: ['t'], reload: () => Promise.reject(new Error('db down')) });
    refresher.bumped(['t']);
    await settle();
    expect(refresher.stats()).toMatchObject({ reloads: 1, failed: 1, running: 0 });
  });
});

describe('warm', () => {
  it('stores an entry before anyone reads it, counted as a refresh, and the first reader hits', async () => {
    const { cache, loader } = setup(false);
    await cache.warm(params, loader);
    await expect(cache.getOrLoad(params, loader)).resolves.toEqual({ value: { version: 1 }, status: 'hit' });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 0, refreshes: 1, loads: 1 });
  });

  it('never throws: a failing loader stores nothing and the reader loads it', async () => {
    const { cache, loader } = setup(false);
    await expect(cache.warm(params, () => Promise.reject(new Error('boom')))).resolves.toBeUndefined();
    await expect(cache.getOrLoad(params, loader)).resolves.toMatchObject({ status: 'miss' });
  });
});
