import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { authEnvShape } from '@dharma/auth/env';
import { dbEnvShape, parseEnv, ZPostgresUrl } from '@dharma/db/env';

/** Router names, as mounted in routers/app.router.ts (checked there at compile time). */
export const ROUTER_NAMES = ['health', 'identity', 'sso', 'projects', 'blueprints', 'monitoring', 'users', 'roles', 'tokens', 'audit', 'teams', 'platform', 'iac', 'guardrails', 'costing'] as const;

const ZBool = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

export const servicesEnvShape = {
  ...dbEnvShape,
  ...authEnvShape,
  REDIS_URL: z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL').optional(),
  PGBOUNCER_ADMIN_URL: ZPostgresUrl.optional(),
  /**
   * postgres.js connections for tenant reads (`readInTenant`), apart from the DB_POOL_MAX ones that run transactions.
   * A read is one message, and postgres.js pipelines further reads on busy connections (up to 100 each), so a few
   * connections carry them: on a 2-core database 4 served about 30% more uncached reads than a shared pool of 20.
   * Transactions hold their connection across round trips and commits, so they keep their own, larger pool.
   */
  DB_READ_POOL_MAX: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500).default(4),
  DEV_LOGIN: ZBool.default(false),
  /**
   * The console's public URL, as browsers and identity providers reach it: single sign-on's ACS, logout and callback
   * URLs are under it, and a SAML response must be addressed to them.
   */
  /** The operators' tenant: its admins administer the platform (every tenant: provision, suspend, quotas, offboard). */
  PLATFORM_TENANT: z.string().trim().min(1).default('platform'),
  CONSOLE_URL: z
    .url({ error: 'must be the console URL, for example https://dharma.example.com' })
    .transform((v) => v.replace(/\/+$/, ''))
    .default('http://localhost:3000'),
  SERVICES_HOST: z.string().default('127.0.0.1'),
  SERVICES_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535).default(4000),
  /** Off answers every read from the database: for measuring the uncached path, or while debugging the cache. */
  CACHE_ENABLED: ZBool.default(true),
  /** Reload recently read entries after an invalidation, off the readers' requests (packages/cache refresh-ahead). */
  CACHE_REFRESH_AHEAD: ZBool.default(true),
  /** Least time between two background reloads of one entry; more saves database work, fewer hits. */
  CACHE_REFRESH_MIN_INTERVAL_MS: z.coerce.number({ error: 'must be a number' }).int().min(0).max(60_000).default(0),
  /**
   * Keep copies of cached entries and tag versions in the process, kept current by Redis client tracking, so a hit
   * needs no round trip to Redis (packages/cache near-cache). Only with REDIS_URL.
   */
  CACHE_NEAR: ZBool.default(true),
  /** Memory the near cache may hold, in MiB. */
  CACHE_NEAR_MAX_MB: z.coerce.number({ error: 'must be a number' }).int().min(1).max(16_384).default(64),
  /** Longest a near copy is served without being read again from Redis: the bound should an invalidation be lost. */
  CACHE_NEAR_MAX_AGE_MS: z.coerce.number({ error: 'must be a number' }).int().min(100).max(600_000).default(10_000),
  CACHE_TTL_SECONDS: z.coerce.number({ error: 'must be a number' }).int().min(1).max(3600).default(60),
  CACHE_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int().min(5).max(5000).default(100),
  /**
   * Answer single (unbatched) calls of every procedure without tRPC's Node adapter, through the procedure itself
   * (`front-calls.ts`; same bodies, statuses and headers). Off sends them all through the adapter.
   */
  FRONT_CALLS: ZBool.default(true),
  /** Comma-separated router names this process serves (for example `blueprints,projects`); default all. */
  SERVICES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '' || v.trim() === '*') return null;
      const names = v.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(ROUTER_NAMES as readonly string[]).includes(n));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown router(s) ${unknown.join(', ')}; known: ${ROUTER_NAMES.join(', ')}` });
      return new Set(names);
    }),
  MAX_BODY_BYTES: z.coerce.number({ error: 'must be a number' }).int().min(1024).default(1_048_576),
  /**
   * Longest a request waits for the database, queueing for a pooled connection included. Past it, or at once when
   * PgBouncer or Postgres refuses or drops the connection, the request answers 503 with Retry-After; a write's
   * outcome is then unknown, and a retry with the same Idempotency-Key returns the first result if it committed.
   */
  DB_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int().min(100).max(120_000).default(3000),
  /** Retry-After, in seconds, on every 503 (a dependency down, or the process shedding load) and 429. */
  RETRY_AFTER_SECONDS: z.coerce.number({ error: 'must be a number' }).int().min(1).max(3600).default(1),
  /**
   * Worker processes behind the one port (node:cluster), supervised and restarted by the primary; default one per
   * core the machine offers. 0 serves from a single unsupervised process.
   */
  WORKERS: z.coerce.number({ error: 'must be a number' }).int().min(0).max(256).default(availableParallelism()),
  /** The listen socket's accept queue; the kernel caps it at net.core.somaxconn (Node's default of 511 drops bursts). */
  LISTEN_BACKLOG: z.coerce.number({ error: 'must be a number' }).int().min(1).max(65_535).default(4096),
  /** How long an idle keep-alive socket stays open; above the 60 s most clients and load balancers keep theirs. */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int().min(1000).max(600_000).default(65_000),
  /**
   * Load shedding, per worker: when the event loop runs this late (ms, smoothed), a growing share of new requests is
   * answered 503 with Retry-After at once instead of queueing (all of them at twice this lag); probes never are.
   */
  OVERLOAD_LAG_MS: z.coerce.number({ error: 'must be a number' }).int().min(5).max(60_000).default(200),
  /** Requests one worker holds at once; beyond it new ones get 503 with Retry-After at once. */
  MAX_INFLIGHT_REQUESTS: z.coerce.number({ error: 'must be a number' }).int().min(1).max(1_000_000).default(2000),
  /** Database calls one worker lets wait at once (pipelined or queued for a connection); beyond it, 503 at once. */
  DB_MAX_INFLIGHT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100_000).default(256),
};

export type TServicesEnv = ReturnType<typeof loadServicesEnv>;

/** The only place the services read process.env. */
export function loadServicesEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(servicesEnvShape, source);
}
