import { parseEnv, ownerEnvShape } from '../env';
import { runMigrations } from '../migrate';

const env = parseEnv(ownerEnvShape);
await runMigrations(env.DATABASE_OWNER_URL);
console.log('migrate: database is up to date');
