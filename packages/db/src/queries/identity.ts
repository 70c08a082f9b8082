import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { DomainError, notFound } from '../errors';
import { apiTokens, customRoles, roleGrants, type TStoredPermission } from '../schema/identity';
import { teamMembers, teams, users } from '../schema/tenancy';
import { recordEvent } from './audit';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** Users of the tenant with their unexpired grants and teams, people first. */
export async function listUsers(tx: TExecutor, { tenantId }: { tenantId: string }) {
  const rows = await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      kind: users.kind,
      status: users.status,
      lastSignInAt: users.lastSignInAt,
      grants: sql<{ role: string; expiresAt: string | null }[]>`coalesce((select jsonb_agg(jsonb_build_object('role', g.role, 'expiresAt', g.expires_at) order by g.role) from role_grants_in_force g where g.tenant_id = "users"."tenant_id" and g.user_id = "users"."id"), '[]'::jsonb)`,
      teams: sql<string[]>`coalesce((select jsonb_agg(t.name order by t.name) from ${teamMembers} m join ${teams} t on t.id = m.team_id where m.tenant_id = "users"."tenant_id" and m.user_id = "users"."id"), '[]'::jsonb)`,
    })
    .from(users)
    .where(eq(users.tenantId, tenantId))
    .orderBy(asc(users.kind), asc(users.email));
  return rows.map((r) => ({ ...r, lastSignInAt: iso(r.lastSignInAt) }));
}

async function userOrThrow(tx: TExecutor, tenantId: string, userId: string, field = 'userId') {
  const [user] = await tx.select({ id: users.id, email: users.email, status: users.status, kind: users.kind }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  if (!user) throw notFound('user', field);
  return user;
}

/** Of these role names, the ones that are neither a system role nor a custom role of this tenant. */
export async function unknownRoles(tx: TExecutor, tenantId: string, roles: readonly string[], systemRoles: readonly string[]): Promise<string[]> {
  const custom = [...new Set(roles.filter((r) => !systemRoles.includes(r)))];
  if (custom.length === 0) return [];
  const found = new Set((await tx.select({ name: customRoles.name }).from(customRoles).where(and(eq(customRoles.tenantId, tenantId), inArray(customRoles.name, custom)))).map((r) => r.name));
  return custom.filter((r) => !found.has(r));
}

/** Every role named exists (a system role, or a custom role of this tenant), else a 400 naming the first that does not. */
export async function assertRolesExist(tx: TExecutor, tenantId: string, roles: readonly string[], systemRoles: readonly string[], field = 'role') {
  const [missing] = await unknownRoles(tx, tenantId, roles, systemRoles);
  if (missing !== undefined) throw new DomainError('BAD_REQUEST', `no role "${missing}": use a system role (${systemRoles.join(', ')}) or a custom role of this tenant`, field);
}

/** Grants (or re-grants with a new expiry) a role; one audit event. */
export async function grantRole(
  tx: TExecutor,
  a: { tenantId: string; userId: string; role: string; expiresAt: Date | null; grantedBy: string; systemRoles: readonly string[] },
) {
  await userOrThrow(tx, a.tenantId, a.userId);
  await assertRolesExist(tx, a.tenantId, [a.role], a.systemRoles);
  const [prior] = await tx.select({ expiresAt: roleGrants.expiresAt }).from(roleGrants).where(and(eq(roleGrants.tenantId, a.tenantId), eq(roleGrants.userId, a.userId), eq(roleGrants.role, a.role)));
  await tx
    .insert(roleGrants)
    .values({ tenantId: a.tenantId, userId: a.userId, role: a.role, expiresAt: a.expiresAt, grantedBy: a.grantedBy })
    .onConflictDoUpdate({ target: [roleGrants.tenantId, roleGrants.userId, roleGrants.role], set: { expiresAt: a.expiresAt, grantedBy: a.grantedBy, createdAt: sql`now()` } });
  await recordEvent(tx, {
    action: 'role.grant',
    targetType: 'user',
    targetId: a.userId,
    before: prior ? { role: a.role, expiresAt: iso(prior.expiresAt) } : null,
    after: { role: a.role, expiresAt: iso(a.expiresAt) },
  });
}

/** Removes a grant; refuses to leave the tenant without an admin. One audit event. */
export async function revokeRole(tx: TExecutor, a: { tenantId: string; userId: string; role: string }) {
  await userOrThrow(tx, a.tenantId, a.userId);
  const removed = await tx
    .delete(roleGrants)
    .where(and(eq(roleGrants.tenantId, a.tenantId), eq(roleGrants.userId, a.userId), eq(roleGrants.role, a.role)))
    .returning({ expiresAt: roleGrants.expiresAt });
  if (removed.length === 0) throw new DomainError('NOT_FOUND', `this user does not hold the role "${a.role}"`, 'role');
  if (a.role === 'admin') await assertAnAdminRemains(tx, a.tenantId);
  await recordEvent(tx, { action: 'role.revoke', targetType: 'user', targetId: a.userId, before: { role: a.role, expiresAt: iso(removed[0]!.expiresAt) }, after: null });
}

async function assertAnAdminRemains(tx: TExecutor, tenantId: string) {
  const [row] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from role_grants_in_force g join ${users} u on u.id = g.user_id and u.tenant_id = g.tenant_id
    where g.tenant_id = ${tenantId} and g.role = 'admin' and u.status = 'active'`);
  if ((row?.n ?? 0) === 0) throw new DomainError('PRECONDITION_FAILED', 'this would leave the tenant without an active admin: grant admin to someone else first', 'role');
}

/** Disables or enables a user (a disabled user's next request is refused). One audit event. */
export async function setUserStatus(tx: TExecutor, a: { tenantId: string; userId: string; status: 'active' | 'disabled'; actorId: string }) {
  if (a.userId === a.actorId && a.status === 'disabled') throw new DomainError('BAD_REQUEST', 'you cannot disable your own account', 'userId');
  const prior = await userOrThrow(tx, a.tenantId, a.userId);
  await tx.update(users).set({ status: a.status }).where(and(eq(users.tenantId, a.tenantId), eq(users.id, a.userId)));
  if (a.status === 'disabled') await assertAnAdminRemains(tx, a.tenantId);
  await recordEvent(tx, { action: a.status === 'disabled' ? 'user.disable' : 'user.enable', targetType: 'user', targetId: a.userId, before: { status: prior.status }, after: { status: a.status } });
}

/** A service account: a user that signs in only with API tokens. One audit event. */
export async function createServiceAccount(tx: TExecutor, a: { tenantId: string; name: string; tenantSlug: string }) {
  const local = a.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'service';
  const email = `${local}@service.${a.tenantSlug}`;
  const [row] = await tx
    .insert(users)
    .values({ tenantId: a.tenantId, email, name: a.name, kind: 'service' })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email });
  if (!row) throw new DomainError('CONFLICT', `a user or service account ${email} already exists`, 'name');
  await recordEvent(tx, { action: 'service_account.create', targetType: 'user', targetId: row.id, after: { name: a.name, email } });
  return row;
}

export async function listCustomRoles(tx: TExecutor, { tenantId }: { tenantId: string }) {
  const rows = await tx
    .select({ id: customRoles.id, name: customRoles.name, description: customRoles.description, permissions: customRoles.permissions, updatedAt: customRoles.updatedAt })
    .from(customRoles)
    .where(eq(customRoles.tenantId, tenantId))
    .orderBy(asc(customRoles.name));
  return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
}

/** Creates or replaces a custom role's description and permissions. One audit event. */
export async function saveCustomRole(tx: TExecutor, a: { tenantId: string; name: string; description: string; permissions: TStoredPermission[] }) {
  const [prior] = await tx
    .select({ description: customRoles.description, permissions: customRoles.permissions })
    .from(customRoles)
    .where(and(eq(customRoles.tenantId, a.tenantId), eq(customRoles.name, a.name)))
    .for('update');
  const [row] = await tx
    .insert(customRoles)
    .values({ tenantId: a.tenantId, name: a.name, description: a.description, permissions: a.permissions })
    .onConflictDoUpdate({ target: [customRoles.tenantId, customRoles.name], set: { description: a.description, permissions: a.permissions, updatedAt: sql`now()` } })
    .returning({ id: customRoles.id });
  await recordEvent(tx, { action: prior ? 'role.update' : 'role.create', targetType: 'role', targetId: a.name, before: prior ?? null, after: { description: a.description, permissions: a.permissions } });
  return { id: row!.id, created: !prior };
}

/** Deletes a custom role and every grant of it. One audit event. */
export async function deleteCustomRole(tx: TExecutor, a: { tenantId: string; name: string }) {
  const [prior] = await tx.delete(customRoles).where(and(eq(customRoles.tenantId, a.tenantId), eq(customRoles.name, a.name))).returning({ description: customRoles.description, permissions: customRoles.permissions });
  if (!prior) throw notFound('role', 'name');
  const grants = await tx.delete(roleGrants).where(and(eq(roleGrants.tenantId, a.tenantId), eq(roleGrants.role, a.name))).returning({ userId: roleGrants.userId });
  await recordEvent(tx, { action: 'role.delete', targetType: 'role', targetId: a.name, before: { ...prior, holders: grants.length }, after: null });
  return { revokedGrants: grants.length };
}

export interface TTokenRow {
  id: string;
  userId: string;
  userEmail: string;
  name: string;
  prefix: string;
  permissions: TStoredPermission[];
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** API tokens, newest first: every token of the tenant, or only `userId`'s. Never the secret or its hash. */
export async function listTokens(tx: TExecutor, { tenantId, userId }: { tenantId: string; userId?: string | undefined }): Promise<TTokenRow[]> {
  const rows = await tx
    .select({
      id: apiTokens.id, userId: apiTokens.userId, userEmail: users.email, name: apiTokens.name, prefix: apiTokens.prefix, permissions: apiTokens.permissions,
      expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt, createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.tenantId, apiTokens.tenantId), eq(users.id, apiTokens.userId)))
    .where(and(eq(apiTokens.tenantId, tenantId), userId ? eq(apiTokens.userId, userId) : undefined))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => ({ ...r, expiresAt: r.expiresAt.toISOString(), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt), createdAt: r.createdAt.toISOString() }));
}

/** Stores a token's hash (never the secret). The owner must be an active user of the tenant. One audit event. */
export async function createToken(
  tx: TExecutor,
  a: { tenantId: string; userId: string; name: string; prefix: string; secretHash: string; permissions: TStoredPermission[]; expiresAt: Date; createdBy: string },
) {
  const owner = await userOrThrow(tx, a.tenantId, a.userId);
  if (owner.status !== 'active') throw new DomainError('PRECONDITION_FAILED', 'this user is disabled: enable them before creating a token', 'userId');
  const [row] = await tx
    .insert(apiTokens)
    .values({ tenantId: a.tenantId, userId: a.userId, name: a.name, prefix: a.prefix, secretHash: a.secretHash, permissions: a.permissions, expiresAt: a.expiresAt, createdBy: a.createdBy })
    .returning({ id: apiTokens.id });
  await recordEvent(tx, { action: 'token.create', targetType: 'token', targetId: row!.id, after: { name: a.name, userId: a.userId, prefix: a.prefix, permissions: a.permissions, expiresAt: a.expiresAt.toISOString() } });
  return { id: row!.id, ownerEmail: owner.email };
}

/**
 * Revokes a token (`ownerId`: only if it belongs to that user, for own-scope callers). Revoking a revoked token
 * changes nothing and records nothing.
 */
export async function revokeToken(tx: TExecutor, a: { tenantId: string; id: string; ownerId: string | null }) {
  const [row] = await tx
    .select({ userId: apiTokens.userId, revokedAt: apiTokens.revokedAt, name: apiTokens.name })
    .from(apiTokens)
    .where(and(eq(apiTokens.tenantId, a.tenantId), eq(apiTokens.id, a.id)))
    .for('update');
  if (!row || (a.ownerId !== null && row.userId !== a.ownerId)) throw notFound('token', 'id');
  if (row.revokedAt) return { revokedAt: row.revokedAt.toISOString(), userId: row.userId, changed: false };
  const [done] = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.tenantId, a.tenantId), eq(apiTokens.id, a.id), isNull(apiTokens.revokedAt)))
    .returning({ revokedAt: apiTokens.revokedAt });
  await recordEvent(tx, { action: 'token.revoke', targetType: 'token', targetId: a.id, before: { name: row.name, revokedAt: null }, after: { revokedAt: iso(done!.revokedAt) } });
  return { revokedAt: iso(done!.revokedAt)!, userId: row.userId, changed: true };
}
