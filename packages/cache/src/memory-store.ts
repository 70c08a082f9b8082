import { LRUCache } from 'lru-cache';
import { emptyStoreInfo, randomVersionBase } from './store';
import type { TCacheStore, TStoreInfo } from './store';

export type TMemoryStoreOptions = {
  /** Entries and tag versions together; the least recently used go first. */
  maxEntries: number;
  /** Approximate bound on keys plus values (UTF-16 bytes). Default 64 MiB. */
  maxBytes?: number;
  /** The clock TTLs are measured on (milliseconds, monotonic). Default `performance`. */
  clock?: { now(): number };
};

/**
 * A {@link TCacheStore} inside this process, for embedded dev mode (no REDIS_URL) and tests.
 *
 * Guarantees the same semantics as the Redis store: per-key TTL, missing versions seeded from a random base, LRU
 * eviction when full (safe: an entry whose tag version was evicted is a miss, never a stale hit). It is per process: two processes on memory stores do not see each other's entries or invalidations, so
 * it is only correct with a single service process.
 */
export function createMemoryStore(opts: TMemoryStoreOptions): TCacheStore {
  const startedAt = Date.now();
  const lru = new LRUCache<string, string>({
    max: opts.maxEntries,
    maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value, key) => Math.max(1, (key.length + value.length) * 2),
    // lru-cache's default debounces the clock with a timer per read; reading performance.now() is cheaper and exact.
    ttlResolution: 0,
    ...(opts.clock === undefined ? {} : { perf: opts.clock }),
  });
  let hits = 0;
  let misses = 0;

  const setVersion = (key: string, value: string, ttlMs: number): void => {
    lru.set(key, value, { ttl: Math.max(1, Math.ceil(ttlMs)) });
  };

  return {
    kind: 'memory',
    async mget(keys) {
      return keys.map((key) => {
        const value = lru.get(key);
        if (value === undefined) {
          misses += 1;
          return null;
        }
        hits += 1;
        return value;
      });
    },
    async set(key, value, ttlMs) {
      lru.set(key, value, { ttl: Math.max(1, Math.ceil(ttlMs)) });
    },
    async incr(keys, ttlMs) {
      return keys.map((key) => {
        const current = lru.get(key);
        // Versions exceed 2^53, so they are counted as BigInt and kept as decimal strings, as Redis does.
        const next = (current === undefined ? BigInt(randomVersionBase()) + 1n : BigInt(current) + 1n).toString();
        setVersion(key, next, ttlMs);
        return next;
      });
    },
    async ensureVersions(keys, ttlMs) {
      return keys.map((key) => {
        const current = lru.get(key);
        if (current !== undefined) return current;
        const seeded = randomVersionBase();
        setVersion(key, seeded, ttlMs);
        return seeded;
      });
    },
    async info(): Promise<TStoreInfo> {
      return {
        ...emptyStoreInfo('memory', true),
        usedMemoryBytes: lru.calculatedSize,
        maxMemoryBytes: lru.maxSize,
        keys: lru.size,
        keyspaceHits: hits,
        keyspaceMisses: misses,
        connectedClients: 1,
        uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
      };
    },
    async ping() {},
    async close() {
      lru.clear();
    },
  };
}
