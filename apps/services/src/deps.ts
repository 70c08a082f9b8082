import { findSsoProviders, readApiToken, readDirectoryEntry, readIdentityProvider } from '@dharma/auth/directory';
import { createCache } from '@dharma/cache/cache';
import { createMemoryStore } from '@dharma/cache/memory-store';
import { createRedisStore } from '@dharma/cache/redis-store';
import type { TCacheStore } from '@dharma/cache/store';
import { createDb, type TDbHandle } from '@dharma/db/client';
import { DatabaseBusy, DatabaseTimeout } from '@dharma/db/errors';
import { createTenantReader, createTenantWriter, type TAuditActor, type TTenantRead, type TTenantTx, type TTenantWrite, withTenant } from '@dharma/db/tenant';
import { createPgbouncerAdmin } from './domain/monitoring/pgbouncer';
import { createRequestWindow } from './domain/monitoring/request-window';
import type { TServicesEnv } from './env';
import { createLoadShedder } from './load-shedder';
import { createMetrics } from './metrics';
import { createAuthenticator } from './trpc/auth';

/** `work`'s answer, or `DatabaseTimeout` after `ms`; a late rejection of `work` is handled, never unhandled. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeout(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

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
  const shedder = createLoadShedder({ lagMs: env.OVERLOAD_LAG_MS, maxInflight: env.MAX_INFLIGHT_REQUESTS });
  const cache = createCache({
    store,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    // A reply read late because this process is busy is not a slow cache (see TCacheOptions.extraTimeoutMs).
    extraTimeoutMs: () => 2 * shedder.stats().lagMs,
    defaultTtlSeconds: env.CACHE_TTL_SECONDS,
    refreshAhead: env.CACHE_REFRESH_AHEAD ? { minIntervalMs: env.CACHE_REFRESH_MIN_INTERVAL_MS } : false,
    onEvent: (e) => metrics.cacheOps.observe({ namespace: e.namespace, result: e.type }, e.durationMs / 1000),
  });
  const timeoutMs = env.DB_TIMEOUT_MS;
  /** Tenant reads pipelined in one message on the read pool (`createTenantReader`), within the database budget. */
  const pipelined = createTenantReader(readDb.sql, { timeoutMs });
  /** Tenant writes as one message each, one implicit transaction (`createTenantWriter`), on the transaction pool. */
  const writer = createTenantWriter(db.sql, { timeoutMs });
  const requests = createRequestWindow();

  let dbCalls = 0;

  /**
   * Runs one database call (a transaction or a message) and measures it. Beyond DB_MAX_INFLIGHT calls waiting at
   * once it refuses at once (`DatabaseBusy`, a 503) rather than queue behind work the database cannot finish soon.
   */
  async function measured<T>(run: () => Promise<T>): Promise<T> {
    if (dbCalls >= env.DB_MAX_INFLIGHT) {
      metrics.shed.inc({ reason: 'database' });
      throw new DatabaseBusy(env.DB_MAX_INFLIGHT);
    }
    dbCalls += 1;
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
      dbCalls -= 1;
      metrics.dbInFlight.dec();
    }
  }

  /**
   * A tenant transaction, measured, answered within DB_TIMEOUT_MS: past it the caller gets `DatabaseTimeout` (a
   * 503) while the transaction finishes or fails on its own. Prefer `readInTenant` and `writeInTenant`, which cancel.
   */
  const inTenant = <T>(tenantId: string, fn: (tx: TTenantTx) => Promise<T>, options?: { readOnly?: boolean; audit?: TAuditActor }): Promise<T> =>
    measured(() => within(withTenant(db.db, tenantId, fn, options), timeoutMs));

  const readInTenant: TTenantRead = (tenantId, build) => measured(() => pipelined(tenantId, build));
  const writeInTenant: TTenantWrite = (tenantId, build, audit) => measured(() => writer(tenantId, build, audit));
  const auth = createAuthenticator({
    secret: env.AUTH_SECRET,
    read: readInTenant,
    cache,
    cacheEnabled: env.CACHE_ENABLED,
    lookupUser: (userId) => measured(() => within(readDirectoryEntry(readDb.sql, userId), timeoutMs)),
    lookupToken: (hash) => measured(() => within(readApiToken(readDb.sql, hash), timeoutMs)),
    lookupProvider: (idpId) => measured(() => within(readIdentityProvider(readDb.sql, idpId), timeoutMs)),
    lookupSsoProviders: (q) => measured(() => within(findSsoProviders(readDb.sql, q), timeoutMs)),
  });

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
    writeInTenant,
    shedder,
    async close() {
      shedder.close();
      await Promise.allSettled([db.close(), readDb.close(), store.close(), pgbouncer?.close()]);
    },
  };
}

export type TDeps = ReturnType<typeof createDeps>;
