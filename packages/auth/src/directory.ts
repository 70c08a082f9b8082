import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { TExecutor } from '@dharma/db/client';
import { literal } from '@dharma/db/tenant';
import { ZRole, type TRole } from './rbac';
import type { TSignInProvider } from './sso/identity';

export interface TDirectoryEntry {
  userId: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  email: string;
  name: string;
  roles: TRole[];
}

/**
 * Active users of active tenants, across tenants, through the database's `auth_directory` definer function:
 * sign-in must find a user before it knows the tenant. Unknown roles are dropped, never trusted.
 */
export async function readDirectory(db: TExecutor, email?: string): Promise<TDirectoryEntry[]> {
  return (await db.execute<TDirectoryRow>(sql`select * from auth_directory(${email ?? null})`)).map(toEntry);
}

/**
 * One active user of an active tenant by id (the `auth_user` definer function), or null: what sign-in needs. Sent
 * as one simple-protocol statement with the id as a literal: postgres.js pipelines it with other reads on a busy
 * connection, where a statement with parameters would wait for its own round trip to learn their types first, and
 * hold the connection's other queries behind it (thousands of first sign-ins at once, in a spike).
 */
export async function readDirectoryEntry(client: Sql, userId: string): Promise<TDirectoryEntry | null> {
  const [row] = await client.unsafe<TDirectoryRow[]>(`select * from auth_user(${literal(userId)})`);
  return row ? toEntry(row) : null;
}

interface TDirectoryRow extends Record<string, unknown> {
  user_id: string;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  email: string;
  name: string;
  roles: string[];
}

function toEntry(r: TDirectoryRow): TDirectoryEntry {
  return {
    userId: r.user_id,
    tenantId: r.tenant_id,
    tenantSlug: r.tenant_slug,
    tenantName: r.tenant_name,
    email: r.email,
    name: r.name,
    roles: r.roles.flatMap((role) => (ZRole.safeParse(role).success ? [role as TRole] : [])),
  };
}

/** An API token by the hash of its secret (the `auth_api_token` definer function), or null. One simple statement. */
export async function readApiToken(client: Sql, secretHash: string): Promise<{ tokenId: string; tenantId: string; userId: string } | null> {
  const [row] = await client.unsafe<{ token_id: string; tenant_id: string; user_id: string }[]>(`select * from auth_api_token(${literal(secretHash)})`);
  return row ? { tokenId: row.token_id, tenantId: row.tenant_id, userId: row.user_id } : null;
}

/** An enabled identity provider of an active tenant by id (`auth_identity_provider`), or null. */
export async function readIdentityProvider(client: Sql, idpId: string): Promise<TSignInProvider | null> {
  const [r] = await client.unsafe<TProviderRow[]>(`select * from auth_identity_provider(${literal(idpId)})`);
  if (!r) return null;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantSlug: r.tenant_slug,
    tenantName: r.tenant_name,
    kind: r.kind,
    name: r.name,
    config: r.config,
    groupRoles: r.group_roles,
    defaultRoles: r.default_roles,
    domains: r.domains,
  };
}

interface TProviderRow {
  id: string;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  kind: 'oidc' | 'saml';
  name: string;
  config: Record<string, unknown>;
  group_roles: { group: string; role: string }[];
  default_roles: string[];
  domains: string[];
}

/** A provider as the sign-in page offers it: whose it is and what kind, no settings. */
export type TSsoChoice = Pick<TSignInProvider, 'id' | 'tenantId' | 'tenantSlug' | 'tenantName' | 'kind' | 'name'> & { ssoRequired: boolean };

/** Enabled providers for an email's domain or a tenant's slug (`auth_sso_providers`): names only. */
export async function findSsoProviders(client: Sql, q: { email?: string | undefined; tenant?: string | undefined }): Promise<TSsoChoice[]> {
  const rows = await client.unsafe<{ id: string; tenant_id: string; tenant_slug: string; tenant_name: string; kind: 'oidc' | 'saml'; name: string; sso_required: boolean }[]>(
    `select * from auth_sso_providers(${literal(q.email ?? null)}, ${literal(q.tenant ?? null)})`,
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, tenantSlug: r.tenant_slug, tenantName: r.tenant_name, kind: r.kind, name: r.name, ssoRequired: r.sso_required }));
}
