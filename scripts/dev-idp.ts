import { createDb } from '@dharma/db/client';
import { startDevIdp } from '@dharma/dev-idp/server';
import { registerDevProviders } from './lib/dev-sso';

/**
 * The local IdP's command line, for the browser tests and anyone running the stack by hand: starts `packages/dev-idp`
 * and, with DATABASE_OWNER_URL, points the seeded tenants at it. Env: DEV_IDP_HOST (127.0.0.1), DEV_IDP_PORT (4600),
 * DEV_IDP_WEB_ORIGINS (the console origins allowed as redirect and ACS targets), DEV_IDP_CLIENT_SECRET,
 * DEV_IDP_FAULTS (test-only fault injection).
 */
const port = Number(process.env.DEV_IDP_PORT ?? 4600);
const clientSecret = process.env.DEV_IDP_CLIENT_SECRET ?? 'dharma-dev-secret';
const idp = await startDevIdp({
  host: process.env.DEV_IDP_HOST || '127.0.0.1',
  port,
  webOrigins: (process.env.DEV_IDP_WEB_ORIGINS ?? 'http://localhost:3000').split(',').filter(Boolean),
  clientSecret,
  faults: process.env.DEV_IDP_FAULTS === 'true',
});
console.log(`[dev-idp] OIDC issuer ${idp.oidcIssuer} · SAML metadata ${idp.samlEntityId}${process.env.DEV_IDP_FAULTS === 'true' ? ' · FAULT INJECTION ON' : ''}`);
if (process.env.DATABASE_OWNER_URL) {
  const owner = createDb({ url: process.env.DATABASE_OWNER_URL, max: 1, applicationName: 'dharma-dev-idp' });
  try {
    const ids = await registerDevProviders(owner.db, { idpUrl: idp.url, clientSecret });
    console.log(`[dev-idp] providers: acme OIDC ${ids.acme ?? '(no tenant acme)'}, globex SAML ${ids.globex ?? '(no tenant globex)'}`);
  } finally {
    await owner.close();
  }
}
const stop = () => void idp.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
