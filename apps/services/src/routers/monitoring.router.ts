import { z } from 'zod';
import type { TNearStats } from '@dharma/cache/near-cache';
import { permission, router } from '../trpc/procedures';

const ZNullableNumber = z.number().nullable();

const ZSystemStats = z.object({
  at: z.string(),
  requests: z.object({
    windowSeconds: z.number(),
    perSecond: z.number(),
    p95Ms: ZNullableNumber,
    serverErrorRate: ZNullableNumber,
    clientErrorRate: ZNullableNumber,
  }),
  pgbouncer: z.object({
    configured: z.boolean(),
    error: z.string().nullable(),
    pools: z.array(z.object({ database: z.string(), user: z.string(), clActive: z.number(), clWaiting: z.number(), svActive: z.number(), svIdle: z.number(), svUsed: z.number(), maxWaitSeconds: z.number(), poolMode: z.string() })),
    stats: z.array(z.object({ database: z.string(), totalXactCount: z.number(), totalQueryCount: z.number(), avgXactTimeUs: z.number(), avgQueryTimeUs: z.number(), avgWaitTimeUs: z.number(), totalWaitTimeUs: z.number() })),
  }),
  database: z.object({ poolMax: z.number(), transactionsInFlight: z.number(), ok: z.boolean(), latencyMs: ZNullableNumber, error: z.string().nullable() }),
  cache: z.object({
    kind: z.enum(['redis', 'memory']),
    connected: z.boolean(),
    hits: z.number(),
    misses: z.number(),
    errors: z.number(),
    hitRate: ZNullableNumber,
    keys: ZNullableNumber,
    usedMemoryBytes: ZNullableNumber,
    opsPerSec: ZNullableNumber,
    /** This process's near cache (copies kept current by Redis client tracking); null without one. */
    near: z.object({ tracking: z.boolean(), hits: z.number(), misses: z.number(), entries: z.number(), bytes: z.number() }).nullable(),
  }),
});

const nearOf = (n: TNearStats | undefined) => (n === undefined ? null : { tracking: n.tracking, hits: n.hits, misses: n.misses, entries: n.entries, bytes: n.bytes });

/**
 * Live figures for the System page, this process's view: request rate, p95 and error rates over the last 10 s, and
 * the pools and cache. Never cached: the point is to watch them move.
 */
export const monitoringRouter = router({
  system: permission('system', 'read')
    .output(ZSystemStats)
    .query(async ({ ctx }) => {
      const { deps } = ctx;
      const started = performance.now();
      const dbCheck = deps.db.sql`select 1`.then(
        () => ({ ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100, error: null }),
        (e: unknown) => ({ ok: false, latencyMs: null, error: String((e as Error).message ?? e) }),
      );
      const [pg, info, db] = await Promise.all([
        deps.metrics.readPgbouncer(),
        deps.metrics.readStore(),
        dbCheck,
      ]);
      const s = deps.cache.stats();
      const lookups = s.hits + s.misses;
      const inFlight = (await deps.metrics.dbInFlight.get()).values[0]?.value ?? 0;
      return {
        at: new Date().toISOString(),
        requests: deps.requests.snapshot(10),
        pgbouncer: { configured: pg !== null, pools: pg?.pools ?? [], stats: pg?.stats ?? [], error: pg?.error ?? null },
        database: { poolMax: deps.env.DB_POOL_MAX + deps.env.DB_READ_POOL_MAX, transactionsInFlight: inFlight, ...db },
        cache: {
          kind: deps.store.kind,
          connected: info.connected,
          hits: s.hits,
          misses: s.misses,
          errors: s.errors,
          hitRate: lookups > 0 ? s.hits / lookups : null,
          keys: info.keys,
          usedMemoryBytes: info.usedMemoryBytes,
          opsPerSec: info.opsPerSec,
          near: nearOf(deps.store.nearStats?.()),
        },
      };
    }),
});
