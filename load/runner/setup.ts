import { createServer } from 'node:net';
import { ROLES } from '@dharma/auth/rbac';
import { createDb } from '@dharma/db/client';
import { pgErrorCode } from '@dharma/db/errors';
import { provisionLoadTenants, retireLoadTenants } from '@dharma/db/seed/load-tenants';
import { trpcData, trpcErrorMessage, type TTrpcClient } from './http';
import type { TScenarioData } from './scenarios';
import type { TDirectoryUser, VirtualUser } from './virtual-user';

export interface TIdentities {
  users: TDirectoryUser[];
  writersByTenant: Map<string, TDirectoryUser[]>;
  /** Per tenant, a user with the cleanup role, who archives the run's blueprints at the end (or none). */
  cleanupByTenant: Map<string, TDirectoryUser>;
  /** Set when the run made tenants of its own (`provisionIdentities`): they are retired at the end instead. */
  provisioned?: { runId: string; tenants: number };
}

/** Writers and cleanup users per tenant, from the users of those tenants. */
function byTenant(users: TDirectoryUser[], slugs: readonly string[], data: TScenarioData): TIdentities {
  const writersByTenant = new Map<string, TDirectoryUser[]>();
  const cleanupByTenant = new Map<string, TDirectoryUser>();
  for (const slug of slugs) {
    const inTenant = users.filter((u) => u.tenantSlug === slug);
    if (inTenant.length === 0) throw new Error(`no users in tenant "${slug}": run npm run db:seed`);
    const writers = inTenant.filter((u) => u.roles.some((role) => data.writerRoles.includes(role)));
    if (writers.length === 0) throw new Error(`tenant "${slug}" has no user with a role in ${data.writerRoles.join(', ')}`);
    writersByTenant.set(slug, writers);
    const cleanup = inTenant.find((u) => u.roles.includes(data.cleanupRole));
    if (cleanup) cleanupByTenant.set(slug, cleanup);
  }
  return { users, writersByTenant, cleanupByTenant };
}

/**
 * Tenants of this run's own (`provisionLoadTenants`, as the database owner): one per `usersPerTenant` VUs at the
 * peak, so each VU signs in as a user of its own and writes spread over tenants as real traffic's do. Not measured.
 */
export async function provisionIdentities(ownerUrl: string, data: TScenarioData, runId: string, peakVus: number): Promise<TIdentities> {
  const { usersPerTenant, projectsPerTenant, blueprintsPerProject } = data.provision;
  const tenants = Math.max(1, Math.ceil(peakVus / usersPerTenant));
  const owner = createDb({ url: ownerUrl, max: 1, applicationName: 'dharma-load-setup' });
  try {
    const { users } = await provisionLoadTenants(owner.db, { runId, tenants, usersPerTenant, projectsPerTenant, blueprintsPerProject, roles: ROLES }).catch((error: unknown) => {
      const code = pgErrorCode(error);
      if (code === '42P01' || code === '42883') throw new Error('the database is not migrated: run npm run db:migrate (and npm run db:seed for the sample tenants)');
      throw error;
    });
    const slugs = [...new Set(users.map((u) => u.tenantSlug))];
    return { ...byTenant(users, slugs, data), provisioned: { runId, tenants } };
  } finally {
    await owner.close();
  }
}

/** Suspends the run's own tenants (their users leave the directory); see `retireLoadTenants`. */
export async function retireIdentities(ownerUrl: string, runId: string): Promise<number> {
  const owner = createDb({ url: ownerUrl, max: 1, applicationName: 'dharma-load-setup' });
  try {
    return await retireLoadTenants(owner.db, runId);
  } finally {
    await owner.close();
  }
}

/**
 * Like k6's setup(): the dev directory of the scenario's tenants (not measured). Every tenant needs a user who may
 * create blueprints, or the write steps could not run.
 */
export async function loadIdentities(client: TTrpcClient, data: TScenarioData): Promise<TIdentities> {
  const r = await client.call('identity.devDirectory', 'query', undefined);
  if (r.status !== 200) {
    throw new Error(`identity.devDirectory answered ${r.status} (${trpcErrorMessage(r.body)}): the services need DEV_LOGIN=true and a seeded database (npm run db:seed)`);
  }
  const all = trpcData<TDirectoryUser[]>(r.body) ?? [];
  return byTenant(all.filter((u) => data.tenants.includes(u.tenantSlug)), data.tenants, data);
}

/** VU `index` reads as the index-th user (round-robin) and writes as that user when allowed, else as a writer of the same tenant. */
export function identityFor(ids: TIdentities, index: number): { user: TDirectoryUser; writer: TDirectoryUser } {
  const user = ids.users[index % ids.users.length]!;
  const writers = ids.writersByTenant.get(user.tenantSlug)!;
  const writer = writers.includes(user) ? user : writers[index % writers.length]!;
  return { user, writer };
}

/**
 * Archives what this run created, as each tenant's cleanup user (writers such as technical architects may create
 * but not archive), so runs do not pile live blueprints into the seeded tenants whose lists and counts other
 * tests read. Not measured. Archived rows stay in the database (the services have no hard delete).
 */
export async function archiveCreated(client: TTrpcClient, ids: TIdentities, vus: readonly VirtualUser[], concurrency = 8): Promise<{ archived: number; failed: number }> {
  const tokens = new Map<string, string | undefined>();
  for (const [slug, user] of ids.cleanupByTenant) {
    const r = await client.call('identity.devSignIn', 'mutation', { userId: user.userId });
    tokens.set(slug, trpcData<{ token: string }>(r.body)?.token);
  }
  const jobs = vus.flatMap((vu) => vu.own.map((o) => ({ token: tokens.get(vu.writer.tenantSlug), id: o.id })));
  let archived = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const r = job.token ? await client.call('blueprints.archive', 'mutation', { id: job.id }, job.token) : { status: 0 };
      if (r.status === 200) archived += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return { archived, failed };
}

/** `preferred` when nothing listens there, otherwise a port the OS picks. */
export function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((resolvePort, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : port;
        server.close(() => resolvePort(chosen));
      });
    });
  return tryListen(preferred).catch(() => tryListen(0));
}
