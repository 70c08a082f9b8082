import { z } from 'zod';
import { parseEnv, ZPostgresUrl } from '@dharma/db/env';

/**
 * The stack the runner drives, from `.stack/env` (the `npm run load` script sources it). Only what starting a
 * services process needs is required, and only then: with `--url` the runner needs none of it.
 */
export function loadRunnerEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(
    {
      DATABASE_URL: ZPostgresUrl.optional(),
      /** The owner, directly to Postgres: the runner makes (and afterwards suspends) tenants of the run's own. */
      DATABASE_OWNER_URL: ZPostgresUrl.optional(),
      REDIS_URL: z.string().optional(),
      AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      PGBOUNCER_ADMIN_URL: ZPostgresUrl.optional(),
      /** The stack's folder (pidfiles of Postgres, PgBouncer, Redis), for the CPU breakdown. */
      STACK_DIR: z.string().optional(),
    },
    source,
  );
}

export type TRunnerEnv = ReturnType<typeof loadRunnerEnv>;

/** The environment of a services process started by the runner: dev sign-in on, the pool size of the bench. */
export function servicesEnv(env: TRunnerEnv, port: number): Record<string, string> {
  const missing = (['DATABASE_URL', 'REDIS_URL', 'AUTH_SECRET'] as const).filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not set: run \`npm run stack:up\` (it writes .stack/env), or pass --url to use running services`);
  }
  return {
    DATABASE_URL: env.DATABASE_URL ?? '',
    REDIS_URL: env.REDIS_URL ?? '',
    AUTH_SECRET: env.AUTH_SECRET ?? '',
    ...(env.PGBOUNCER_ADMIN_URL ? { PGBOUNCER_ADMIN_URL: env.PGBOUNCER_ADMIN_URL } : {}),
    SERVICES_PORT: String(port),
    DEV_LOGIN: 'true',
    DB_POOL_MAX: '20',
  };
}
