import { eq, sql } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { auditEvents } from '../schema/audit';
import { blueprints, blueprintVersions } from '../schema/blueprints';
import { roleGrants } from '../schema/identity';
import { projects } from '../schema/projects';
import { identityProviders } from '../schema/sso';
import { teamMembers, teams, tenants, users } from '../schema/tenancy';
import { withoutSecrets } from './sso';

/** Every tenant with its status, tier, quotas and size (`platform_tenants`, a definer function). */
export async function platformTenants(tx: TExecutor) {
  const rows = await tx.execute<{ id: string; slug: string; name: string; status: string; tier: string; isolation: 'shared' | 'schema'; quotas: Record<string, number>; sso_required: boolean; created_at: string; users: string; blueprints: string }>(sql`select * from platform_tenants()`);
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, status: r.status, tier: r.tier, isolation: r.isolation, quotas: r.quotas, ssoRequired: r.sso_required, createdAt: new Date(r.created_at).toISOString(), users: Number(r.users), blueprints: Number(r.blueprints) }));
}

/** One tenant's slug, status and quotas (`platform_tenant`), or null. */
export async function platformTenant(tx: TExecutor, tenantId: string) {
  const [row] = await tx.execute<{ slug: string; status: string; quotas: Record<string, number> }>(sql`select * from platform_tenant(${tenantId})`);
  return row ?? null;
}

/** A new tenant with its first admin and a default project; `isolation: 'schema'` creates its schema too (0017). */
export async function provisionTenant(tx: TExecutor, a: { slug: string; name: string; tier: string; isolation: 'shared' | 'schema'; adminEmail: string; adminName: string }) {
  const [row] = await tx.execute<{ tenant_id: string; user_id: string }>(sql`select * from platform_provision_tenant(${a.slug}, ${a.name}, ${a.tier}, ${a.isolation}, ${a.adminEmail}, ${a.adminName})`);
  return { tenantId: row!.tenant_id, adminId: row!.user_id };
}

/** Sets a tenant's status and/or quotas (null leaves one as it is); the previous and new values. */
export async function setTenant(tx: TExecutor, a: { tenantId: string; status: 'active' | 'suspended' | null; quotas: Record<string, number> | null }) {
  const before = await platformTenant(tx, a.tenantId);
  if (!before) return null;
  const [after] = await tx.execute<{ slug: string; status: string; quotas: Record<string, number> }>(sql`select * from platform_set_tenant(${a.tenantId}, ${a.status}, ${a.quotas === null ? null : JSON.stringify(a.quotas)}::jsonb)`);
  return { before, after: after! };
}

export async function offboardTenant(tx: TExecutor, a: { tenantId: string; platformSlug: string }) {
  const [row] = await tx.execute<{ slug: string; users: string; blueprints: string; versions: string; events: string }>(sql`select * from platform_offboard_tenant(${a.tenantId}, ${a.platformSlug})`);
  return { slug: row!.slug, users: Number(row!.users), blueprints: Number(row!.blueprints), versions: Number(row!.versions), events: Number(row!.events) };
}

/**
 * Everything a tenant holds, as it reads inside the tenant (row-level security keeps it to that tenant): what an
 * offboarded customer takes with them. Identity providers without their secrets; API tokens and SSO state left out.
 */
export async function exportTenant(tx: TExecutor, { tenantId }: { tenantId: string }) {
  const [tenant] = await tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name, tier: tenants.tier, isolation: tenants.isolation, dataRegion: tenants.dataRegion, createdAt: tenants.createdAt }).from(tenants).where(eq(tenants.id, tenantId));
  return {
    format: 'iac-dharma.tenant-export.v1',
    exportedAt: new Date().toISOString(),
    tenant,
    users: await tx.select({ id: users.id, email: users.email, name: users.name, kind: users.kind, status: users.status, createdAt: users.createdAt }).from(users).where(eq(users.tenantId, tenantId)),
    roleGrants: await tx.select({ userId: roleGrants.userId, role: roleGrants.role, expiresAt: roleGrants.expiresAt, source: roleGrants.source }).from(roleGrants).where(eq(roleGrants.tenantId, tenantId)),
    teams: await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.tenantId, tenantId)),
    teamMembers: await tx.select({ teamId: teamMembers.teamId, userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.tenantId, tenantId)),
    projects: await tx.select().from(projects).where(eq(projects.tenantId, tenantId)),
    blueprints: await tx.select().from(blueprints).where(eq(blueprints.tenantId, tenantId)),
    blueprintVersions: await tx.select().from(blueprintVersions).where(eq(blueprintVersions.tenantId, tenantId)),
    identityProviders: (await tx.select().from(identityProviders).where(eq(identityProviders.tenantId, tenantId))).map(withoutSecrets),
    auditEvents: await tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(auditEvents.at),
  };
}
