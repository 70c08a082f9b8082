import { parseArgs } from 'node:util';
import { createDb } from '@dharma/db/client';
import { dbEnvShape, parseEnv } from '@dharma/db/env';
import { readDirectory } from '../directory';
import { authEnvShape } from '../env';
import { signAccessToken } from '../token';

/** `npm run token -- --email ada@acme.test [--tenant acme] [--ttl 3600]`: prints a signed access token for scripts. */
const env = parseEnv({ ...dbEnvShape, ...authEnvShape });
const { values } = parseArgs({ options: { email: { type: 'string' }, tenant: { type: 'string' }, ttl: { type: 'string' } } });
if (!values.email) {
  console.error('usage: npm run token -- --email <user email> [--tenant <slug>] [--ttl <seconds>]');
  process.exit(2);
}
const { db, close } = createDb({ url: env.DATABASE_URL, max: 1, applicationName: 'dharma-token' });
try {
  const matches = (await readDirectory(db, values.email)).filter((u) => !values.tenant || u.tenantSlug === values.tenant);
  if (matches.length === 0) throw new Error(`no active user ${values.email}${values.tenant ? ` in tenant ${values.tenant}` : ''}`);
  if (matches.length > 1) throw new Error(`${values.email} is in several tenants (${matches.map((m) => m.tenantSlug).join(', ')}): pass --tenant`);
  const u = matches[0]!;
  const ttl = values.ttl ? Number(values.ttl) : env.AUTH_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 60) throw new Error('--ttl must be a whole number of seconds, at least 60');
  const token = await signAccessToken({ sub: u.userId, tid: u.tenantId, email: u.email, name: u.name, roles: u.roles }, env.AUTH_SECRET, ttl);
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error(`token: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await close();
}
