import { z } from 'zod';
import { parseEnv, ZPostgresUrl } from '@dharma/db/env';

/** What `npm run dev` reads. With DATABASE_URL unset it runs an embedded Postgres and an in-memory cache. */
export function loadDevEnv() {
  return parseEnv({
    DATABASE_URL: ZPostgresUrl.optional(),
    DATABASE_OWNER_URL: ZPostgresUrl.optional(),
    REDIS_URL: z.string().optional(),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    DATA_DIR: z.string().default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1024).max(65535).default(54329),
    SERVICES_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535).default(4000),
    WEB_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535).default(3000),
    DEV_WEB_MODE: z.enum(['dev', 'start'], { error: () => 'must be dev or start' }).default('dev'),
  });
}
