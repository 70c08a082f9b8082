import { z } from 'zod';
import { parseEnv, ZPostgresUrl } from '@dharma/db/env';

/** The stack the benchmark drives: load it with `set -a; . .stack/env; set +a`, or it is read from .stack/env. */
export function loadBenchEnv() {
  return parseEnv({
    DATABASE_URL: ZPostgresUrl,
    DATABASE_OWNER_URL: ZPostgresUrl,
    REDIS_URL: z.string({ error: 'is required: the benchmark measures the Redis-cached path (npm run stack:up)' }),
    AUTH_SECRET: z.string().min(32),
  });
}
