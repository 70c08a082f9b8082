import { and, asc, eq, gt, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { DomainError, notFound, pgErrorField } from '../errors';
import { roleGrants } from '../schema/identity';
import { identityProviders, ssoAssertions, ssoRequests, type TGroupRole } from '../schema/sso';
import { tenants, users } from '../schema/tenancy';
import type { TAuditActor } from '../audit-context';
import { auditActorStatement } from '../tenant';
import { recordEvent } from './audit';
import { assertRolesExist, unknownRoles } from './identity';

/** A provider as the settings page lists it: never its client secret. */
export async function listIdentityProviders(tx: TExecutor, { tenantId }: { tenantId: string }) {
  const rows = await tx.select().from(identityProviders).where(eq(identityProviders.tenantId, tenantId)).orderBy(asc(identityProviders.name));
  const [tenant] = await tx.select({ ssoRequired: tenants.ssoRequired }).from(tenants).where(eq(tenants.id, tenantId));
  return { ssoRequired: tenant?.ssoRequired ?? false, providers: rows.map(withoutSecrets) };
}

export function withoutSecrets(row: typeof identityProviders.$inferSelect) {
  const { clientSecret, ...config } = row.config as Record<string, unknown> & { clientSecret?: unknown };
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    config: { ...config, ...(clientSecret === undefined ? {} : { clientSecretSet: true }) },
    groupRoles: row.groupRoles,
    defaultRoles: row.defaultRoles,
    domains: row.domains,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface TProviderInput {
  kind: 'oidc' | 'saml';
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  groupRoles: TGroupRole[];
  defaultRoles: string[];
  domains: string[];
}

/**
 * Creates a provider, or updates one by id (an update without a client secret keeps the stored one). One audit
 * event, secrets left out of it.
 */
export async function saveIdentityProvider(tx: TExecutor, a: { tenantId: string; id?: string | undefined; input: TProviderInput; systemRoles: readonly string[] }) {
  await assertRolesExist(tx, a.tenantId, a.input.groupRoles.map((g) => g.role), a.systemRoles, 'groupRoles');
  await assertRolesExist(tx, a.tenantId, a.input.defaultRoles, a.systemRoles, 'defaultRoles');
  const values = { ...a.input, updatedAt: sql`now()` };
  try {
    if (!a.id) {
      const [row] = await tx.insert(identityProviders).values({ tenantId: a.tenantId, ...a.input }).returning();
      await recordEvent(tx, { action: 'identity_provider.create', targetType: 'identity_provider', targetId: row!.id, after: withoutSecrets(row!) });
      return withoutSecrets(row!);
    }
    const [prior] = await tx.select().from(identityProviders).where(and(eq(identityProviders.tenantId, a.tenantId), eq(identityProviders.id, a.id))).for('update');
    if (!prior) throw notFound('identity provider', 'id');
    if (prior.kind !== a.input.kind) throw new DomainError('BAD_REQUEST', `a ${prior.kind} provider cannot become ${a.input.kind}: create a new one`, 'kind');
    const priorSecret = (prior.config as { clientSecret?: string }).clientSecret;
    const config = a.input.config.clientSecret === undefined && priorSecret !== undefined ? { ...a.input.config, clientSecret: priorSecret } : a.input.config;
    const [row] = await tx.update(identityProviders).set({ ...values, config }).where(eq(identityProviders.id, a.id)).returning();
    await recordEvent(tx, { action: 'identity_provider.update', targetType: 'identity_provider', targetId: a.id, before: withoutSecrets(prior), after: withoutSecrets(row!) });
    return withoutSecrets(row!);
  } catch (error) {
    if (pgErrorField(error, 'constraint_name') === 'identity_providers_tenant_name_key') {
      throw new DomainError('CONFLICT', `an identity provider named "${a.input.name}" already exists`, 'name');
    }
    throw error;
  }
}

export async function deleteIdentityProvider(tx: TExecutor, a: { tenantId: string; id: string }) {
  const [prior] = await tx.delete(identityProviders).where(and(eq(identityProviders.tenantId, a.tenantId), eq(identityProviders.id, a.id))).returning();
  if (!prior) throw notFound('identity provider', 'id');
  await recordEvent(tx, { action: 'identity_provider.delete', targetType: 'identity_provider', targetId: a.id, before: withoutSecrets(prior) });
}

/** Turns "SSO required" on or off; refused on when the tenant has no enabled provider (nobody could sign in). */
export async function setSsoRequired(tx: TExecutor, a: { tenantId: string; required: boolean }) {
  if (a.required) {
    const [one] = await tx.select({ id: identityProviders.id }).from(identityProviders).where(and(eq(identityProviders.tenantId, a.tenantId), eq(identityProviders.enabled, true))).limit(1);
    if (!one) throw new DomainError('BAD_REQUEST', 'add and enable an identity provider first: with SSO required and none, nobody could sign in', 'ssoRequired');
  }
  const [prior] = await tx.select({ ssoRequired: tenants.ssoRequired }).from(tenants).where(eq(tenants.id, a.tenantId));
  await tx.update(tenants).set({ ssoRequired: a.required }).where(eq(tenants.id, a.tenantId));
  await recordEvent(tx, { action: 'tenant.sso_required', targetType: 'tenant', targetId: a.tenantId, before: { ssoRequired: prior?.ssoRequired ?? false }, after: { ssoRequired: a.required } });
}

/** The SAML requests and assertions of one provider, in its tenant's transactions (node-saml's cache, replay guard). */
export const ssoState = {
  async saveRequest(tx: TExecutor, a: { tenantId: string; idpId: string; id: string; kind: 'authn' | 'logout'; expiresAt: Date }) {
    await tx.delete(ssoRequests).where(and(eq(ssoRequests.tenantId, a.tenantId), lt(ssoRequests.expiresAt, sql`now() - interval '1 hour'`)));
    await tx.insert(ssoRequests).values({ tenantId: a.tenantId, idpId: a.idpId, id: a.id, kind: a.kind, expiresAt: a.expiresAt }).onConflictDoNothing();
  },
  async pendingRequest(tx: TExecutor, a: { tenantId: string; idpId: string; id: string; ttlMs: number }): Promise<Date | null> {
    const [row] = await tx
      .select({ expiresAt: ssoRequests.expiresAt })
      .from(ssoRequests)
      .where(and(eq(ssoRequests.tenantId, a.tenantId), eq(ssoRequests.idpId, a.idpId), eq(ssoRequests.id, a.id), isNull(ssoRequests.consumedAt), gt(ssoRequests.expiresAt, sql`now()`)));
    return row ? new Date(row.expiresAt.getTime() - a.ttlMs) : null;
  },
  async consumeRequest(tx: TExecutor, a: { tenantId: string; idpId: string; id: string }) {
    await tx.update(ssoRequests).set({ consumedAt: sql`now()` }).where(and(eq(ssoRequests.tenantId, a.tenantId), eq(ssoRequests.idpId, a.idpId), eq(ssoRequests.id, a.id)));
  },
  async acceptAssertion(tx: TExecutor, a: { tenantId: string; idpId: string; assertionId: string; expiresAt: Date }): Promise<boolean> {
    await tx.delete(ssoAssertions).where(and(eq(ssoAssertions.tenantId, a.tenantId), lt(ssoAssertions.expiresAt, sql`now()`)));
    const inserted = await tx.insert(ssoAssertions).values({ tenantId: a.tenantId, idpId: a.idpId, assertionId: a.assertionId, expiresAt: a.expiresAt }).onConflictDoNothing().returning({ id: ssoAssertions.assertionId });
    return inserted.length === 1;
  },
};

/**
 * A person signed in through a provider: found by the provider's subject, else by email (an account an admin created
 * or the seed made), else created just in time. Their roles from this provider are re-applied: grants mapped from
 * groups (source `idp:<id>`) that no longer apply are removed, new ones added; an admin's manual grants stay.
 * Refused for a disabled account or a service account. One audit event, `auth.sign_in`.
 */
export async function signInThroughProvider(
  tx: TExecutor,
  a: { tenantId: string; idpId: string; idpName: string; kind: 'oidc' | 'saml'; subject: string; email: string; name: string; groups: string[]; roles: string[]; systemRoles: readonly string[]; actor: TAuditActor },
) {
  const externalId = `${a.idpId}:${a.subject}`;
  const [byExternal] = await tx.select().from(users).where(and(eq(users.tenantId, a.tenantId), eq(users.externalId, externalId)));
  const [byEmail] = byExternal ? [] : await tx.select().from(users).where(and(eq(users.tenantId, a.tenantId), sql`lower(${users.email}) = lower(${a.email})`));
  const found = byExternal ?? byEmail;
  if (found && found.kind !== 'human') throw new DomainError('FORBIDDEN', 'this account is a service account, which signs in only with API tokens');
  if (found && found.status !== 'active') throw new DomainError('FORBIDDEN', 'this account is disabled in its tenant: ask an admin of the tenant to enable it');
  // A custom role deleted since the mapping was made is skipped, not granted.
  const gone = await unknownRoles(tx, a.tenantId, a.roles, a.systemRoles);
  const roles = a.roles.filter((r) => !gone.includes(r));
  let userId: string;
  if (found) {
    userId = found.id;
    await tx.update(users).set({ name: a.name || found.name, externalId, lastSignInAt: sql`now()` }).where(eq(users.id, found.id));
  } else {
    const [created] = await tx.insert(users).values({ tenantId: a.tenantId, email: a.email, name: a.name || a.email, externalId, lastSignInAt: sql`now()` }).returning({ id: users.id });
    userId = created!.id;
  }
  const source = `idp:${a.idpId}`;
  const before = await tx.select({ role: roleGrants.role }).from(roleGrants).where(and(eq(roleGrants.tenantId, a.tenantId), eq(roleGrants.userId, userId), eq(roleGrants.source, source)));
  await tx.delete(roleGrants).where(and(eq(roleGrants.tenantId, a.tenantId), eq(roleGrants.userId, userId), eq(roleGrants.source, source), ...(roles.length > 0 ? [notInArray(roleGrants.role, roles)] : [])));
  if (roles.length > 0) await tx.insert(roleGrants).values(roles.map((role) => ({ tenantId: a.tenantId, userId, role, source }))).onConflictDoNothing();
  // The transaction began with the provider as its actor; the event is the person's, now that they have an id.
  await tx.execute(sql.raw(auditActorStatement({ ...a.actor, actorId: userId, actorType: 'user', actorLabel: a.email })));
  const changed = before.map((b) => b.role).sort().join() !== [...roles].sort().join();
  await recordEvent(tx, {
    action: 'auth.sign_in',
    targetType: 'user',
    targetId: userId,
    before: changed && found ? { mappedRoles: before.map((b) => b.role).sort() } : null,
    after: { method: a.kind, provider: a.idpName, providerId: a.idpId, justInTime: !found, mappedRoles: roles, groups: a.groups },
  });
  return { userId, created: !found, rolesChanged: changed };
}

/** A refused sign-in, recorded in the provider's tenant (the actor is the provider: the person is not known). */
export function recordFailedSignIn(tx: TExecutor, a: { idpId: string; kind: string; reason: string; message: string; email?: string | undefined }) {
  return recordEvent(tx, { action: 'auth.sign_in_failed', targetType: 'identity_provider', targetId: a.idpId, after: { method: a.kind, reason: a.reason, message: a.message, ...(a.email ? { email: a.email } : {}) } });
}
