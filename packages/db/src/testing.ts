import { randomUUID } from 'node:crypto';
import { createDb, type TDb } from './client';
import { parseEnv, ZPostgresUrl } from './env';
import { roleGrants } from './schema/identity';
import { projects } from './schema/projects';
import { tenants, users } from './schema/tenancy';
import { withTenant } from './tenant';

/** URLs of the local stack (npm run stack:up), for the data layer's own integration tests. */
export const stackUrls = () =>
  parseEnv({ DATABASE_URL: ZPostgresUrl, DATABASE_OWNER_URL: ZPostgresUrl, DATABASE_DIRECT_URL: ZPostgresUrl });

/** A fresh tenant with one admin and one project, created as the owner (tests and benchmarks write there). */
export async function createScratchTenant(ownerUrl: string, label: string) {
  const owner = createDb({ url: ownerUrl, max: 1 });
  try {
    const slug = `${label}-${randomUUID().slice(0, 8)}`;
    const tenantName = `Test ${label}`;
    const email = `admin@${slug}.test`;
    const name = 'Scratch Admin';
    const [t] = await owner.db.insert(tenants).values({ slug, name: tenantName }).returning({ id: tenants.id });
    const userId = await insertMember(owner.db, { tenantId: t!.id, email, name, roles: ['admin'] });
    const [p] = await owner.db.insert(projects).values({ tenantId: t!.id, slug: 'main', name: 'Main', primaryCloud: 'aws' }).returning({ id: projects.id });
    return { tenantId: t!.id, userId, projectId: p!.id, slug, tenantName, email, name };
  } finally {
    await owner.close();
  }
}

/** A user of a tenant holding exactly `roles`, written as the owner (as an admin's grants would be). Returns its id. */
async function insertMember(db: TDb, m: { tenantId: string; email: string; name: string; roles: readonly string[] }): Promise<string> {
  const [u] = await db.insert(users).values({ tenantId: m.tenantId, email: m.email, name: m.name }).returning({ id: users.id });
  if (m.roles.length > 0) await db.insert(roleGrants).values(m.roles.map((role) => ({ tenantId: m.tenantId, userId: u!.id, role })));
  return u!.id;
}

/** A new member of an existing tenant holding exactly `roles`, created as the owner: what permission tests act as. */
export async function createMember(ownerUrl: string, m: { tenantId: string; email: string; name: string; roles: readonly string[] }): Promise<string> {
  const owner = createDb({ url: ownerUrl, max: 1 });
  try {
    return await insertMember(owner.db, m);
  } finally {
    await owner.close();
  }
}

/** A tenant transaction with an audit actor, for data-layer tests that write through the audited functions directly. */
export const withTestActor: typeof withTenant = (db, tenantId, fn, options) =>
  withTenant(db, tenantId, fn, { ...options, audit: { actorId: null, actorType: 'system', actorLabel: 'test' } });
