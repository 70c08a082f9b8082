import { z } from 'zod';
import { bootstrapDatabase } from '../bootstrap';
import { parseEnvOrExit, ZPostgresUrl } from '../env';
import { runCli } from './run-cli';

const env = parseEnvOrExit('bootstrap', {
  DATABASE_ADMIN_URL: ZPostgresUrl,
  DB_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lowercase identifier').default('dharma'),
  DB_OWNER_PASSWORD: z.string({ error: 'is required' }).min(12, 'must be at least 12 characters'),
  DB_APP_PASSWORD: z.string({ error: 'is required' }).min(12, 'must be at least 12 characters'),
});

await runCli('bootstrap', async () => {
  await bootstrapDatabase({
    adminUrl: env.DATABASE_ADMIN_URL,
    database: env.DB_NAME,
    ownerPassword: env.DB_OWNER_PASSWORD,
    appPassword: env.DB_APP_PASSWORD,
  });
  console.log(`bootstrap: roles app_owner, app_user and database ${env.DB_NAME} are ready`);
});
