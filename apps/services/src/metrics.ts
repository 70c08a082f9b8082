import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TNearStats } from '@dharma/cache/near-cache';
import type { TCacheStore, TStoreInfo } from '@dharma/cache/store';
import { countedHistogram } from './counted-histogram';
import type { TPgbouncerAdmin, TPoolRow, TStatsRow } from './domain/monitoring/pgbouncer';

/** Shares one in-flight or recent (< 500 ms) result between callers. */
function memoise<T>(read: () => Promise<T>, maxAgeMs = 500): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (last && Date.now() - last.at < maxAgeMs) return last.value;
    last = { at: Date.now(), value: read() };
    return last.value;
  };
}

/**
 * One registry per process. Labels stay bounded: procedure paths, status codes, cache namespaces (procedure
 * paths), PgBouncer database/user names. Never ids.
 */
export function createMetrics({ pgbouncer, store }: { pgbouncer: TPgbouncerAdmin | null; store: TCacheStore }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dharma_' });

  /** One tRPC call, or one read answered by the front layer: counted and timed under the same labels. */
  const requests = countedHistogram(registry, {
    name: 'dharma_trpc_request_duration_seconds',
    help: 'tRPC procedure duration',
    counterName: 'dharma_trpc_requests_total',
    counterHelp: 'tRPC procedure calls',
    labelNames: ['procedure', 'type', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  /** One cache event: a read's outcome, an invalidation, a reload. */
  const cacheOps = countedHistogram(registry, {
    name: 'dharma_cache_operation_duration_seconds',
    help: 'Time spent talking to the cache store',
    counterName: 'dharma_cache_operations_total',
    counterHelp: 'Cache reads by result (hit, miss, error) and invalidations',
    labelNames: ['namespace', 'result'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  });
  const dbInFlight = new Gauge({ name: 'dharma_db_transactions_in_flight', help: 'Tenant transactions currently open from this process', registers: [registry] });
  const dbPoolMax = new Gauge({ name: 'dharma_db_pool_max', help: 'postgres.js connections of this process (transactions plus pipelined reads)', registers: [registry] });
  const dbTxDuration = new Histogram({
    name: 'dharma_db_transaction_duration_seconds',
    help: 'Tenant transaction duration, including the set_config round trip',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const shed = new Counter({ name: 'dharma_requests_shed_total', help: 'Requests refused with 503 under load: event-loop lag, requests in flight, database calls waiting', labelNames: ['reason'], registers: [registry] });
  const business = new Counter({ name: 'dharma_business_events_total', help: 'Domain events: blueprints created, versions saved, archived', labelNames: ['event'], registers: [registry] });

  // PgBouncer and cache-store figures are read at most every 500 ms, however many scrapes and System pages ask.
  type TPgbouncerSnapshot = { pools: TPoolRow[]; stats: TStatsRow[]; error: string | null };
  const readPgbouncer = memoise((): Promise<TPgbouncerSnapshot | null> => {
    if (!pgbouncer) return Promise.resolve(null);
    return Promise.all([pgbouncer.pools(), pgbouncer.stats()]).then(
      ([pools, stats]) => ({ pools, stats, error: null }),
      (e: unknown) => ({ pools: [], stats: [], error: String((e as Error)?.message ?? e) }),
    );
  });
  const readStore = memoise((): Promise<TStoreInfo> => store.info());
  const poolGauge = (name: string, help: string, pick: (r: TPoolRow) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['database', 'user'],
      registers: [registry],
      // Every worker reads the same PgBouncer: across workers the value is one reading, not a sum.
      aggregator: 'first',
      async collect() {
        this.reset();
        for (const row of (await readPgbouncer())?.pools ?? []) this.set({ database: row.database, user: row.user }, pick(row));
      },
    });
  poolGauge('dharma_pgbouncer_client_active', 'PgBouncer client connections linked to a server or idle', (r) => r.clActive);
  poolGauge('dharma_pgbouncer_client_waiting', 'PgBouncer client connections waiting for a server connection', (r) => r.clWaiting);
  poolGauge('dharma_pgbouncer_server_active', 'PgBouncer server connections in use', (r) => r.svActive);
  poolGauge('dharma_pgbouncer_server_idle', 'PgBouncer server connections idle and ready', (r) => r.svIdle);
  poolGauge('dharma_pgbouncer_max_wait_seconds', 'Age of the oldest waiting PgBouncer client', (r) => r.maxWaitSeconds);
  const statsGauge = (name: string, help: string, pick: (r: TStatsRow) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['database'],
      registers: [registry],
      aggregator: 'first',
      async collect() {
        this.reset();
        for (const row of (await readPgbouncer())?.stats ?? []) this.set({ database: row.database }, pick(row));
      },
    });
  statsGauge('dharma_pgbouncer_transactions', 'PgBouncer total transactions pooled (a counter read from SHOW STATS)', (r) => r.totalXactCount);
  statsGauge('dharma_pgbouncer_queries', 'PgBouncer total queries pooled (a counter read from SHOW STATS)', (r) => r.totalQueryCount);
  statsGauge('dharma_pgbouncer_avg_wait_seconds', 'PgBouncer average client wait time', (r) => r.avgWaitTimeUs / 1e6);

  new Gauge({
    name: 'dharma_pgbouncer_up',
    help: '1 when the PgBouncer admin console answered this scrape, 0 when it did not, absent when not configured',
    registers: [registry],
    aggregator: 'first',
    async collect() {
      this.reset();
      const snapshot = await readPgbouncer();
      if (snapshot) this.set(snapshot.error === null ? 1 : 0);
    },
  });

  const storeGauge = (name: string, help: string, pick: (i: TStoreInfo) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['store'],
      registers: [registry],
      // Every worker reads the same Redis.
      aggregator: 'first',
      async collect() {
        this.reset();
        const info = await readStore();
        const v = pick(info);
        if (v !== null) this.set({ store: info.kind }, v);
      },
    });
  // The near cache (in-process copies kept current by Redis client tracking); all 0 when the store has none.
  const nearStat = (pick: (n: TNearStats) => number) => {
    const stats = store.nearStats?.();
    return stats === undefined ? 0 : pick(stats);
  };
  const nearCounter = (name: string, help: string, pick: (n: TNearStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(nearStat(pick));
      },
    });
  const nearGauge = (name: string, help: string, pick: (n: TNearStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(nearStat(pick));
      },
    });
  nearCounter('dharma_cache_near_hits_total', 'Cache reads answered from the in-process near cache, with no Redis round trip', (n) => n.hits);
  nearCounter('dharma_cache_near_misses_total', 'Cache reads sent to Redis while the near cache was tracking', (n) => n.misses);
  nearCounter('dharma_cache_near_invalidations_total', 'Near-cache copies dropped by an invalidation push or an own write', (n) => n.invalidations);
  nearCounter('dharma_cache_near_resets_total', 'Times the near cache dropped everything (connection lost, Redis flushed)', (n) => n.resets);
  nearGauge('dharma_cache_near_tracking', '1 while Redis client tracking is confirmed and the near cache answers reads', (n) => (n.tracking ? 1 : 0));
  nearGauge('dharma_cache_near_bytes', 'Approximate memory held by near-cache copies', (n) => n.bytes);

  storeGauge('dharma_cache_store_up', 'Cache store reachable (1) or not (0)', (i) => (i.connected ? 1 : 0));
  storeGauge('dharma_cache_store_used_memory_bytes', 'Memory used by the cache store', (i) => i.usedMemoryBytes);
  storeGauge('dharma_cache_store_keys', 'Keys in the cache store', (i) => i.keys);
  storeGauge('dharma_cache_store_ops_per_second', 'Operations per second reported by the cache store', (i) => i.opsPerSec);
  storeGauge('dharma_cache_store_evicted_keys', 'Keys evicted by the cache store since it started', (i) => i.evictedKeys);
  storeGauge('dharma_cache_store_connected_clients', 'Clients connected to the cache store', (i) => i.connectedClients);

  return { registry, requests, cacheOps, dbInFlight, dbPoolMax, dbTxDuration, business, shed, readPgbouncer, readStore };
}

export type TMetrics = ReturnType<typeof createMetrics>;
