import { describe, expect, it } from 'vitest';
import { createCache, type TCacheEvent } from './cache';
import { createMemoryStore } from './memory-store';
import type { TCacheStore } from './store';

const params = { tenantId: 'tenant-a', namespace: 'blueprints.byId', key: 'b1', tags: ['blueprint:b1'] };

function setup(store: TCacheStore = createMemoryStore({ maxEntries: 100 })) {
  const events: TCacheEvent[] = [];
  return { cache: createCache({ store, timeoutMs: 50, onEvent: (e) => events.push(e) }), events };
}

describe('peek', () => {
  it('returns null before anything is cached and counts nothing', async () => {
    const { cache, events } = setup();
    expect(await cache.peek(params)).toBeNull();
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, errors: 0 });
    expect(events).toEqual([]);
  });

  it('returns a fresh entry and counts exactly one hit', async () => {
    const { cache, events } = setup();
    await cache.getOrLoad(params, async () => ({ name: 'web' }));
    expect(await cache.peek(params)).toEqual({ json: '{"name":"web"}' });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
    expect(events.map((e) => e.type)).toEqual(['miss', 'hit']);
  });

  it('never returns an entry whose tag was bumped, nor another tenant\'s entry', async () => {
    const { cache } = setup();
    await cache.getOrLoad(params, async () => ({ name: 'old' }));
    expect(await cache.peek({ ...params, tenantId: 'tenant-b' })).toBeNull();
    await cache.invalidate({ tenantId: 'tenant-a', tags: ['blueprint:b1'] });
    expect(await cache.peek(params)).toBeNull();
  });

  it('gives up quietly when the store hangs or fails, leaving the error to the fallback read', async () => {
    const hanging: TCacheStore = { ...createMemoryStore({ maxEntries: 1 }), mget: () => new Promise(() => {}) };
    const failing: TCacheStore = { ...createMemoryStore({ maxEntries: 1 }), mget: () => Promise.reject(new Error('down')) };
    for (const store of [hanging, failing]) {
      const { cache } = setup(store);
      expect(await cache.peek(params)).toBeNull();
      expect(cache.stats()).toMatchObject({ hits: 0, errors: 0 });
    }
  });
});
