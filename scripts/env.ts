import { z } from 'zod';
import { parseEnv, ZPostgresUrl } from '@dharma/db/env';

const ZPort = (min: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole port number')
    .min(min, `must be a port number from ${min} to 65535`)
    .max(65535, `must be a port number from ${min} to 65535`);

/** An address to listen on: an IPv4 or IPv6 address, or a host name. */
const ZHost = z.string().trim().regex(/^[A-Za-z0-9.:_-]+$/, 'must be an address to listen on, for example 127.0.0.1 or 0.0.0.0');

/** What `npm run dev` reads. With DATABASE_URL unset it runs an embedded Postgres and an in-memory cache. */
export function loadDevEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(
    {
      DATABASE_URL: ZPostgresUrl.optional(),
      DATABASE_OWNER_URL: ZPostgresUrl.optional(),
      REDIS_URL: z.string().optional(),
      AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      DATA_DIR: z.string().min(1, 'must be a folder').default('.data'),
      EMBEDDED_PG_PORT: ZPort(1024).default(54329),
      SERVICES_PORT: ZPort(1).default(4000),
      WEB_PORT: ZPort(1).default(3000),
      /** The local OIDC provider and SAML IdP (`packages/dev-idp`) that the seeded tenants sign in through. */
      DEV_IDP_PORT: ZPort(1).default(4600),
      /** Off: no local IdP (the development sign-in and any real providers still work). */
      DEV_IDP: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).default('true'),
      /**
       * Loopback by default: the development sign-in lets whoever reaches the console sign in as anyone, admin
       * included. 0.0.0.0 (or another address) opens it to the network, with a warning.
       */
      WEB_HOST: ZHost.default('127.0.0.1'),
      SERVICES_HOST: ZHost.default('127.0.0.1'),
      DEV_LOGIN: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).default('true'),
      DEV_WEB_MODE: z.enum(['dev', 'start'], { error: 'must be dev or start' }).default('dev'),
    },
    source,
  );
}

export type TDevEnv = ReturnType<typeof loadDevEnv>;

/** The launcher's own environment, handed on to the services and the web app, which validate what they read. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
