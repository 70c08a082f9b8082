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
    expect((await cache.peek(params))?.json).toBe('{"name":"web"}');
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

  it('peekLocal: undefined when the store holds no copies (no near cache), so only peek can tell', async () => {
    const { cache, events } = setup();
    await cache.getOrLoad(params, async () => ({ name: 'web' }));
    expect(cache.peekLocal(params)).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['miss']);
  });
});

describe('peekLocal on a store that holds copies', () => {
  /** A memory store whose copies are all "held", as a near cache would hold them once read. */
  function nearish() {
    const inner = createMemoryStore({ maxEntries: 100 });
    const held = new Map<string, string>(); // like the near cache: only values that exist
    const store: TCacheStore = {
      ...inner,
      async mget(keys) {
        const values = await inner.mget(keys);
        keys.forEach((key, i) => {
          const value = values[i];
          if (typeof value === 'string') held.set(key, value);
        });
        return values;
      },
      async incr(keys, ttlMs) {
        for (const key of keys) held.delete(key);
        return inner.incr(keys, ttlMs);
      },
      async set(key, value, ttlMs) {
        held.delete(key);
        await inner.set(key, value, ttlMs);
      },
      mgetLocal: (keys) => (keys.every((key) => held.has(key)) ? keys.map((key) => held.get(key) ?? null) : null),
    };
    return store;
  }

  it('answers from the copies with no waiting, the same object each time, and counts each hit', async () => {
    const { cache, events } = setup(nearish());
    await cache.getOrLoad(params, async () => ({ name: 'web' }));
    expect(cache.peekLocal(params)).toBeUndefined(); // the miss wrote the entry; nothing has read it back yet
    await cache.peek(params);
    const first = cache.peekLocal(params);
    expect(first?.json).toBe('{"name":"web"}');
    expect(cache.peekLocal(params)).toBe(first);
    expect(cache.stats().hits).toBe(3);
    expect(events.map((e) => e.type)).toEqual(['miss', 'hit', 'hit', 'hit']);
  });

  it('says null, not undefined, when the copies show the entry is stale, and never counts a hit for it', async () => {
    const { cache } = setup(nearish());
    await cache.getOrLoad(params, async () => ({ name: 'old' }));
    await cache.invalidate({ tenantId: 'tenant-a', tags: ['blueprint:b1'] });
    expect(await cache.peek(params)).toBeNull(); // reads the entry and the new version: now both are held
    expect(cache.peekLocal(params)).toBeNull();
    expect(cache.stats().hits).toBe(0);
  });
});

