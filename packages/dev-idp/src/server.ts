/**
 * The dev IdP server: one node:http server with the OIDC provider under /oidc and the SAML IdP under /saml.
 * `npm run dev` starts it in-process; `scripts/dev-idp.ts` is its command line (and points the seeded tenants at it);
 * tests call `startDevIdp({...})`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devKeys } from './keys';
import { DEV_OIDC_CLIENT_ID, OTHER_OIDC_CLIENT } from './clients';
import { createOidcIdp } from './oidc';
import { createSamlIdp } from './saml';

export interface StartDevIdpOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 4600; 0 picks a free one). URLs always use `localhost`. */
  port?: number;
  /** Web app origins allowed as OIDC redirect / SAML ACS targets (default ['http://localhost:3000']). */
  webOrigins?: string[];
  /** Secret of the `dharma-console` OIDC client (default 'dharma-dev-secret'). */
  clientSecret?: string;
  /** Test-only fault injection in the OIDC provider (default false). */
  faults?: boolean;
}

export interface DevIdp {
  /** http://localhost:<port> */
  url: string;
  /** OIDC issuer, http://localhost:<port>/oidc */
  oidcIssuer: string;
  /** SAML IdP entity id, http://localhost:<port>/saml/metadata */
  samlEntityId: string;
  /** SAML IdP base URL (metadata, sso, slo, idp-init under it), http://localhost:<port>/saml */
  samlBaseUrl: string;
  close(): Promise<void>;
}

export { DEV_OIDC_CLIENT_ID, OTHER_OIDC_CLIENT };

/** `http://localhost:3000` -> `http://localhost:3000/`: a prefix ending in `/` so that only that origin matches. */
function originPrefix(origin: string): string {
  return `${new URL(origin.trim()).origin}/`;
}

export async function startDevIdp(opts: StartDevIdpOptions = {}): Promise<DevIdp> {
  const host = opts.host ?? '127.0.0.1';
  const prefixes = (opts.webOrigins?.length ? opts.webOrigins : ['http://localhost:3000']).map(originPrefix);

  // Listen first so that port 0 works: the issuer and entity id need the actual port.
  let app = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(503).end();
  };
  const server: Server = createServer((req, res) => app(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4600, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  const oidcIssuer = `${url}/oidc`;
  const samlBaseUrl = `${url}/saml`;
  const samlEntityId = `${samlBaseUrl}/metadata`;
  const keys = devKeys();

  const oidc = createOidcIdp({
    issuer: oidcIssuer,
    faults: opts.faults ?? false,
    signingKey: keys.idp,
    clients: [
      {
        clientId: DEV_OIDC_CLIENT_ID,
        clientSecret: opts.clientSecret ?? 'dharma-dev-secret',
        redirectUriPrefixes: prefixes,
      },
      // A second client, so tests can obtain a genuine ID token issued to someone else (wrong audience).
      { ...OTHER_OIDC_CLIENT, redirectUriPrefixes: prefixes },
    ],
  });
  const saml = createSamlIdp({
    entityId: samlEntityId,
    baseUrl: samlBaseUrl,
    key: keys.idp.key,
    cert: keys.idp.cert,
    spOriginPrefixes: prefixes,
  });

  app = (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/oidc' || path.startsWith('/oidc/')) {
      oidc.handler(req, res);
    } else if (path === '/saml' || path.startsWith('/saml/')) {
      saml.handler(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  return {
    url,
    oidcIssuer,
    samlEntityId,
    samlBaseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections (fetch, browsers) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
