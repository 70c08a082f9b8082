import { randomUUID } from 'node:crypto';
import { createDb } from './client';
import { parseEnv, ZPostgresUrl } from './env';
import { roleGrants } from './schema/identity';
import { projects } from './schema/projects';
import { tenants, users } from './schema/tenancy';

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
    const [u] = await owner.db.insert(users).values({ tenantId: t!.id, email, name }).returning({ id: users.id });
    await owner.db.insert(roleGrants).values({ tenantId: t!.id, userId: u!.id, role: 'admin' });
    const [p] = await owner.db.insert(projects).values({ tenantId: t!.id, slug: 'main', name: 'Main', primaryCloud: 'aws' }).returning({ id: projects.id });
    return { tenantId: t!.id, userId: u!.id, projectId: p!.id, slug, tenantName, email, name };
  } finally {
    await owner.close();
  }
}

/** The audit actor of data-layer tests that write through the audited functions directly. */
export const TEST_ACTOR = { actorId: null, actorType: 'system', actorLabel: 'test' } as const;
