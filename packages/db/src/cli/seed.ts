import { createDb } from '../client';
import { ownerEnvShape, parseEnv } from '../env';
import { seed } from '../seed/seed';

const env = parseEnv(ownerEnvShape);
const { db, close } = createDb({ url: env.DATABASE_OWNER_URL, max: 2, applicationName: 'dharma-seed' });
try {
  await seed(db);
} finally {
  await close();
}
