import { Redis } from 'ioredis';
import { createNearCache, trackWithRedis, type TNearCacheOptions } from './near-cache';
import { parseRedisInfo } from './redis-info';
import { emptyStoreInfo, randomVersionBase } from './store';
import type { TCacheStore, TStoreInfo } from './store';

export type TRedisStoreOptions = {
  /** Give up on one connection attempt after this long; reconnecting continues. Default 1000. */
  connectTimeoutMs?: number;
  /** Reject a command that gets no reply in this long, so a hung server cannot pile up pending promises. Default 1000. */
  commandTimeoutMs?: number;
  /** Destroy (and reconnect) a socket that receives nothing for this long while commands wait. Default 2000. */
  socketTimeoutMs?: number;
  /** Reconnect backoff grows to this and stays there, forever. Default 1000. */
  maxBackoffMs?: number;
  /** Shown in `CLIENT LIST`, to tell the services' connections apart. */
  connectionName?: string;
  /** Where connection state changes go. Called once per outage and once per recovery, never per failed command. */
  log?: (message: string, error?: unknown) => void;
  /**
   * Keep copies of read values in this process, kept current by Redis's client tracking (`near-cache.ts`), so a
   * read of held keys needs no round trip. Off by default.
   */
  near?: TNearCacheOptions | false;
};

/**
 * The Redis store; `client` is exposed for Redis-only neighbours (rate limiting) and tests, not for cache reads. With
 * a near cache, writes sent through `client` do not reach this store's copies (tracking is NOLOOP on that
 * connection): never write the cache's keys through it.
 */
export type TRedisStore = TCacheStore & { readonly kind: 'redis'; readonly client: Redis };

/**
 * A {@link TCacheStore} on one ioredis connection, built to fail fast rather than queue.
 *
 * Guarantees: while Redis is unreachable every call rejects at once (no offline queue, no per-request retries),
 * so the cache's timeout is a ceiling and not the usual cost; the connection keeps retrying forever with backoff
 * capped at `maxBackoffMs`, so service comes back without a restart; connection errors are consumed here and never
 * crash the process or surface as unhandled rejections. Concurrent commands share round trips (auto-pipelining).
 * The connection opens in the background: calls made before it is ready fail fast too, so a service should await
 * `ping()` (its readiness check) before taking traffic if it wants hits from the first request.
 */
export function createRedisStore(url: string, opts: TRedisStoreOptions = {}): TRedisStore {
  const log = opts.log ?? ((message: string, error?: unknown) => console.warn(`[cache] ${message}`, error ?? ''));
  const maxBackoffMs = opts.maxBackoffMs ?? 1000;
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: true,
    // Tag versions are 62-bit: an INCR reply as a JS number would lose its last digits (2^53).
    stringNumbers: true,
    connectTimeout: opts.connectTimeoutMs ?? 1000,
    commandTimeout: opts.commandTimeoutMs ?? 1000,
    socketTimeout: opts.socketTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxBackoffMs),
    ...(opts.connectionName === undefined ? {} : { connectionName: opts.connectionName }),
  });

  // Without an 'error' listener ioredis prints every failed reconnect; one line per outage is what an operator needs.
  let down = false;
  redis.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    log('redis unavailable; reads fall back to the loaders until it returns', error);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log('redis reconnected');
  });

  const execAll = async (pipeline: ReturnType<Redis['multi']>): Promise<unknown[]> => {
    const results = await pipeline.exec();
    // exec() yields null when a WATCHed key changed; we never WATCH, so treat it as a failed write.
    if (results === null) throw new Error('redis transaction aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  };

  /** Bumps each key and returns its new version (the INCR replies, as decimal strings). */
  const incrAll = async (keys: readonly string[], ttlMs: number): Promise<string[]> => {
    const multi = redis.multi();
    for (const key of keys) {
      // SET NX seeds a missing version from a random base, so a recreated key never repeats an old value.
      multi.set(key, randomVersionBase(), 'PX', ttlMs, 'NX');
      multi.incr(key);
      multi.pexpire(key, ttlMs);
    }
    const results = await execAll(multi);
    return keys.map((_, i) => String(results[i * 3 + 1]));
  };

  const near = opts.near ? createNearCache(opts.near) : null;
  const tracking = near ? trackWithRedis(redis, near, log) : null;
  /** A write to keys the near cache may hold: dropped before it is sent and again once it has landed or failed. */
  const written = async <T>(keys: readonly string[], write: () => Promise<T>): Promise<T> => {
    if (!near) return write();
    near.invalidate(keys);
    try {
      return await write();
    } finally {
      near.invalidate(keys);
    }
  };

  return {
    kind: 'redis',
    client: redis,
    mget(keys) {
      if (keys.length === 0) return Promise.resolve([]);
      if (!near?.active) return redis.mget(keys);
      const ticket = near.begin();
      return redis.mget(keys).then(
        (read) => {
          near.fill(ticket, keys, read);
          return read;
        },
        (error: unknown) => {
          near.abandon(ticket);
          throw error;
        },
      );
    },
    ...(near ? { mgetLocal: (keys: string[]) => near.get(keys), nearStats: () => near.stats() } : {}),
    async set(key, value, ttlMs) {
      await written([key], () => redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))));
    },
    async incr(keys, ttlMs) {
      if (keys.length === 0) return [];
      return written(keys, async () => {
        const versions = await incrAll(keys, ttlMs);
        // A fence for every process's near cache (whether or not this one has one): Redis queues the invalidation
        // pushes while it runs the bump and writes them out before it reads anything sent after the bump's reply.
        // When this PING's answer arrives, every push is already in its subscriber's socket, ahead of any request
        // a caller could send another process after this write returns.
        await redis.ping();
        return versions;
      });
    },
    async ensureVersions(keys, ttlMs) {
      if (keys.length === 0) return [];
      const multi = redis.multi();
      for (const key of keys) {
        multi.set(key, randomVersionBase(), 'PX', ttlMs, 'NX');
        multi.get(key);
      }
      const results = await execAll(multi);
      return keys.map((key, i) => {
        const value = results[i * 2 + 1];
        if (typeof value !== 'string') throw new Error(`redis returned no version for ${key}`);
        return value;
      });
    },
    async info(): Promise<TStoreInfo> {
      try {
        return { kind: 'redis', connected: true, ...parseRedisInfo(await redis.info()) };
      } catch {
        return emptyStoreInfo('redis', false);
      }
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      tracking?.close();
      if (redis.status === 'ready') {
        try {
          await redis.quit();
          return;
        } catch {
          // Fall through: a connection that cannot quit politely is simply dropped.
        }
      }
      redis.disconnect();
    },
  };
}
