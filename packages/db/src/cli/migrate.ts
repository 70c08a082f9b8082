import { ownerEnvShape, parseEnvOrExit } from '../env';
import { runMigrations } from '../migrate';
import { describeUrl, runCli } from './run-cli';

/** `npm run db:migrate`: applies the committed migrations as the owner role (DATABASE_OWNER_URL, or .stack/env's). */
const env = parseEnvOrExit('db:migrate', ownerEnvShape);
await runCli('db:migrate', async () => {
  await runMigrations(env.DATABASE_OWNER_URL);
  console.log(`db:migrate: ${describeUrl(env.DATABASE_OWNER_URL)} is up to date`);
});
