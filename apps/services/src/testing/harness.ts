import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readDirectory, type TDirectoryEntry } from '@dharma/auth/directory';
import { signAccessToken } from '@dharma/auth/token';
import { createDb, type TDb } from '@dharma/db/client';
import { parseEnv, ZPostgresUrl } from '@dharma/db/env';
import { randomUUID } from 'node:crypto';
import { createMember, createScratchTenant } from '@dharma/db/testing';
import { createDeps, type TDeps } from '../deps';
import { loadServicesEnv } from '../env';
import { appRouter } from '../routers/app.router';
import { createRequestListener } from '../http';
import { createInnerContext } from '../trpc/context';
import { createCallerFactory } from '../trpc/procedures';

/** Test-only URLs that the services themselves never read. */
export const testEnv = parseEnv({ DATABASE_OWNER_URL: ZPostgresUrl, DATABASE_DIRECT_URL: ZPostgresUrl.optional() });

/**
 * Services dependencies for a test. Load shedding on event-loop lag is off unless a test sets OVERLOAD_LAG_MS: a
 * busy test machine (other suites, a browser) delays timers for reasons of its own, and a test of one behaviour must
 * not fail on another. `load-shedder.test.ts` and the overload test cover shedding itself.
 */
export function makeDeps(overrides: Record<string, string | undefined> = {}): TDeps {
  return createDeps(loadServicesEnv({ ...process.env, DEV_LOGIN: 'true', OVERLOAD_LAG_MS: '60000', ...overrides }));
}

const callerFactory = createCallerFactory(appRouter);

export async function tokenFor(user: TDirectoryEntry, secret = process.env.AUTH_SECRET ?? '', ttlSeconds = 600): Promise<string> {
  return signAccessToken({ sub: user.userId, tid: user.tenantId, email: user.email, name: user.name }, secret, ttlSeconds);
}

/** A caller acting as the given user, through the full middleware chain (auth, tenant, permission, cache). */
export async function callerFor(deps: TDeps, user: TDirectoryEntry) {
  return callerFactory(createInnerContext(deps, { authorization: `Bearer ${await tokenFor(user, deps.env.AUTH_SECRET)}` }));
}

export function anonymousCaller(deps: TDeps, authorization: string | null = null) {
  return callerFactory(createInnerContext(deps, { authorization }));
}

export async function seededUsers(deps: TDeps) {
  const all = await readDirectory(deps.db.db);
  const by = (email: string) => {
    const u = all.find((x) => x.email === email);
    if (!u) throw new Error(`seeded user ${email} missing: run npm run db:seed`);
    return u;
  };
  return {
    ada: by('ada@acme.test'),
    sam: by('sam@acme.test'),
    tara: by('tara@acme.test'),
    vic: by('vic@acme.test'),
    gina: by('gina@globex.test'),
    omar: by('omar@globex.test'),
  };
}

/**
 * A throw-away tenant with one admin and one project, created as the owner, so tests that write a lot do not
 * crowd the seeded tenants the console tests browse.
 */
export async function scratchTenant(label: string) {
  const t = await createScratchTenant(testEnv.DATABASE_OWNER_URL, label);
  const admin: TDirectoryEntry = { userId: t.userId, tenantId: t.tenantId, tenantSlug: t.slug, tenantName: t.tenantName, email: t.email, name: t.name, roles: ['admin'] };
  return { tenantId: t.tenantId, slug: t.slug, projectId: t.projectId, admin };
}

/**
 * A new member of a tenant holding exactly `roles` (granted in the database, as an admin would), created as the
 * owner: what the permission tests act as. Returns the user as sign-in would see them.
 */
export async function memberWith(tenant: { tenantId: string; tenantSlug?: string; slug?: string; tenantName?: string }, roles: readonly string[], label = 'member'): Promise<TDirectoryEntry> {
  const tenantSlug = tenant.tenantSlug ?? tenant.slug ?? '';
  const email = `${label}-${randomUUID().slice(0, 8)}@${tenantSlug || 'test'}.test`;
  const name = `Test ${label}`;
  const userId = await createMember(testEnv.DATABASE_OWNER_URL, { tenantId: tenant.tenantId, email, name, roles });
  return { userId, tenantId: tenant.tenantId, tenantSlug, tenantName: tenant.tenantName ?? '', email, name, roles: [...roles] as TDirectoryEntry['roles'] };
}

export async function tenantIdOf(deps: TDeps, slug: string): Promise<string> {
  const all = await readDirectory(deps.db.db);
  const hit = all.find((u) => u.tenantSlug === slug);
  if (!hit) throw new Error(`tenant ${slug} missing`);
  return hit.tenantId;
}


/** The services' HTTP listener on a free loopback port; `close` stops it (not the deps). */
export async function startHttp(deps: TDeps): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(createRequestListener(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `fn` with a one-connection client as the table owner (row-level security does not apply): for checks. */
export async function asOwner<T>(fn: (db: TDb) => Promise<T>): Promise<T> {
  const owner = createDb({ url: testEnv.DATABASE_OWNER_URL, max: 1 });
  try {
    return await fn(owner.db);
  } finally {
    await owner.close();
  }
}
