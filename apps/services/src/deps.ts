import { createCache } from '@dharma/cache/cache';
import { createMemoryStore } from '@dharma/cache/memory-store';
import { createRedisStore } from '@dharma/cache/redis-store';
import type { TCacheStore } from '@dharma/cache/store';
import { createDb, type TDbHandle } from '@dharma/db/client';
import { createTenantReader, type TTenantRead, type TTenantTx, withTenant } from '@dharma/db/tenant';
import { createPgbouncerAdmin } from './domain/monitoring/pgbouncer';
import { createRequestWindow } from './domain/monitoring/request-window';
import type { TServicesEnv } from './env';
import { createMetrics } from './metrics';
import { createAuthenticator } from './trpc/auth';

/** Everything a request handler may touch, built once per process and passed through the tRPC context. */
export function createDeps(env: TServicesEnv) {
  const db: TDbHandle = createDb({ url: env.DATABASE_URL, max: env.DB_POOL_MAX, applicationName: 'dharma-services' });
  // Pipelined tenant reads get their own small pool (see DB_READ_POOL_MAX): a write transaction never holds up a read.
  const readDb: TDbHandle = createDb({ url: env.DATABASE_URL, max: env.DB_READ_POOL_MAX, applicationName: 'dharma-services-read' });
  const near = env.CACHE_NEAR ? { maxBytes: env.CACHE_NEAR_MAX_MB * 1024 * 1024, maxAgeMs: env.CACHE_NEAR_MAX_AGE_MS } : false;
  const store: TCacheStore = env.REDIS_URL ? createRedisStore(env.REDIS_URL, { near }) : createMemoryStore({ maxEntries: 50_000 });
  const pgbouncer = env.PGBOUNCER_ADMIN_URL ? createPgbouncerAdmin(env.PGBOUNCER_ADMIN_URL) : null;
  const metrics = createMetrics({ pgbouncer, store });
  metrics.dbPoolMax.set(env.DB_POOL_MAX + env.DB_READ_POOL_MAX);
  const cache = createCache({
    store,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    defaultTtlSeconds: env.CACHE_TTL_SECONDS,
    refreshAhead: env.CACHE_REFRESH_AHEAD ? { minIntervalMs: env.CACHE_REFRESH_MIN_INTERVAL_MS } : false,
    onEvent: (e) => metrics.cacheOps.observe({ namespace: e.namespace, result: e.type }, e.durationMs / 1000),
  });
  const auth = createAuthenticator({ secret: env.AUTH_SECRET, db: db.db });
  const requests = createRequestWindow();

  /** Runs one tenant transaction and measures it. */
  async function measured<T>(run: () => Promise<T>): Promise<T> {
    const end = metrics.dbTxDuration.startTimer();
    metrics.dbInFlight.inc();
    try {
      const out = await run();
      end({ outcome: 'commit' });
      return out;
    } catch (error) {
      end({ outcome: 'rollback' });
      throw error;
    } finally {
      metrics.dbInFlight.dec();
    }
  }

  /** A tenant transaction, measured. */
  const inTenant = <T>(tenantId: string, fn: (tx: TTenantTx) => Promise<T>, options?: { readOnly?: boolean }): Promise<T> =>
    measured(() => withTenant(db.db, tenantId, fn, options));

  /** Tenant reads pipelined in one round trip (`createTenantReader`), measured. */
  const pipelined = createTenantReader(readDb.sql);
  const readInTenant: TTenantRead = (tenantId, build) => measured(() => pipelined(tenantId, build));

  return {
    env,
    db,
    store,
    cache,
    pgbouncer,
    metrics,
    auth,
    requests,
    inTenant,
    readInTenant,
    async close() {
      await Promise.allSettled([db.close(), readDb.close(), store.close(), pgbouncer?.close()]);
    },
  };
}

export type TDeps = ReturnType<typeof createDeps>;
