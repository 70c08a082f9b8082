import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { TNearStats } from '@dharma/cache/near-cache';
import { figuresDenial, type TFigures } from '../domain/monitoring/access';
import { tenantUsageQueries, toTenantUsage } from '../domain/monitoring/tenant-usage';
import { router, tenantProcedure } from '../trpc/procedures';

const ZNullableNumber = z.number().nullable();
const ZCount = z.number().int().min(0);

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

const ZTenantStats = z.object({
  at: z.string(),
  tenant: z.object({ slug: z.string() }),
  blueprints: z.object({
    live: ZCount,
    archived: ZCount,
    draft: ZCount,
    review: ZCount,
    approved: ZCount,
    deprecated: ZCount,
    /** Components in the current versions of the live blueprints. */
    components: ZCount,
  }),
  versions: z.object({ last24h: ZCount, last7d: ZCount, total: ZCount }),
  projects: ZCount,
  members: ZCount,
});

const nearOf = (n: TNearStats | undefined) => (n === undefined ? null : { tracking: n.tracking, hits: n.hits, misses: n.misses, entries: n.entries, bytes: n.bytes });

/** Guarantees the caller may see these figures (domain/monitoring/access.ts); the refusal names the permission. */
const figures = (kind: TFigures) =>
  tenantProcedure.use(({ ctx, next }) => {
    const denial = figuresDenial(ctx.user, kind);
    if (denial) throw new TRPCError({ code: 'FORBIDDEN', message: denial });
    return next();
  });

/**
 * Live figures for the System page, never cached (the point is to watch them move). `tenant`: the caller's own
 * tenant, read under its row-level security. `system`: the platform as this services process sees it (request
 * rate, p95 and error rates over the last 10 s, pools and caches), which mixes every tenant's traffic and so is
 * only for roles that may read `system` at global scope.
 */
export const monitoringRouter = router({
  tenant: figures('tenant')
    .output(ZTenantStats)
    .query(async ({ ctx }) => {
      const now = new Date();
      const rows = await ctx.read((db) => tenantUsageQueries(db, { tenantId: ctx.tenant.id, now }));
      return { at: now.toISOString(), tenant: { slug: ctx.tenant.slug }, ...toTenantUsage(rows) };
    }),

  system: figures('platform')
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
