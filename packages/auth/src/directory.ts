import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { TExecutor } from '@dharma/db/client';
import { literal } from '@dharma/db/tenant';
import { ZRole, type TRole } from './rbac';

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
