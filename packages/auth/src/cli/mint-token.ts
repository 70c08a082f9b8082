import { parseArgs } from 'node:util';
import { createDb } from '@dharma/db/client';
import { CliError, parseArgsOrExit, runCli } from '@dharma/db/cli/run-cli';
import { dbEnvShape, parseEnvOrExit } from '@dharma/db/env';
import { readDirectory } from '../directory';
import { authEnvShape } from '../env';
import { signAccessToken } from '../token';

/** `npm run token -- --email ada@acme.test [--tenant acme] [--ttl 3600]`: prints a signed access token for scripts. */
const env = parseEnvOrExit('token', { ...dbEnvShape, ...authEnvShape });
const { values } = parseArgsOrExit('token', () => parseArgs({ options: { email: { type: 'string' }, tenant: { type: 'string' }, ttl: { type: 'string' } } }));
if (!values.email) {
  console.error('usage: npm run token -- --email <user email> [--tenant <slug>] [--ttl <seconds>]');
  process.exit(2);
}
const email = values.email;
const ttl = values.ttl ? Number(values.ttl) : env.AUTH_TOKEN_TTL_SECONDS;
if (!Number.isInteger(ttl) || ttl < 60) {
  console.error('token: --ttl must be a whole number of seconds, at least 60');
  process.exit(2);
}
await runCli('token', async () => {
  const { db, close } = createDb({ url: env.DATABASE_URL, max: 1, applicationName: 'dharma-token' });
  try {
    const matches = (await readDirectory(db, email)).filter((u) => !values.tenant || u.tenantSlug === values.tenant);
    if (matches.length === 0) throw new CliError(`no active user ${email}${values.tenant ? ` in tenant ${values.tenant}` : ''}`);
    if (matches.length > 1) throw new CliError(`${email} is in several tenants (${matches.map((m) => m.tenantSlug).join(', ')}): pass --tenant`);
    const u = matches[0]!;
    const token = await signAccessToken({ sub: u.userId, tid: u.tenantId, email: u.email, name: u.name }, env.AUTH_SECRET, ttl);
    process.stdout.write(`${token}\n`);
  } finally {
    await close();
  }
});
