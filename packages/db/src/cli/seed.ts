import { parseArgs } from 'node:util';
import { createDb } from '../client';
import { ownerEnvShape, parseEnvOrExit } from '../env';
import { seedScale } from '../seed/scale';
import { seed } from '../seed/seed';
import { parseArgsOrExit, runCli } from './run-cli';

/** `npm run db:seed` loads the sample tenants; `npm run db:seed -- --scale 100000` adds bulk tenants too. */
const env = parseEnvOrExit('db:seed', ownerEnvShape);
const { values } = parseArgsOrExit('db:seed', () => parseArgs({ options: { scale: { type: 'string' }, tenants: { type: 'string', default: '10' } } }));
const scale = values.scale === undefined ? 0 : Number(values.scale);
const tenantCount = Number(values.tenants);
if (!Number.isInteger(scale) || scale < 0 || scale > 10_000_000) {
  console.error('db:seed: --scale must be a whole number of blueprints between 0 and 10,000,000');
  process.exit(2);
}
if (!Number.isInteger(tenantCount) || tenantCount < 1 || tenantCount > 1000) {
  console.error('db:seed: --tenants must be a whole number between 1 and 1000');
  process.exit(2);
}
await runCli('db:seed', async () => {
  const { db, close } = createDb({ url: env.DATABASE_OWNER_URL, max: 2, applicationName: 'dharma-seed' });
  try {
    await seed(db);
    if (scale > 0) await seedScale(db, { total: scale, tenantCount });
  } finally {
    await close();
  }
});
