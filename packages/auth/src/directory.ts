import { sql } from 'drizzle-orm';
import type { TExecutor } from '@dharma/db/client';
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
  const rows = await db.execute<{
    user_id: string; tenant_id: string; tenant_slug: string; tenant_name: string; email: string; name: string; roles: string[];
  }>(sql`select * from auth_directory(${email ?? null})`);
  return rows.map((r) => ({
    userId: r.user_id,
    tenantId: r.tenant_id,
    tenantSlug: r.tenant_slug,
    tenantName: r.tenant_name,
    email: r.email,
    name: r.name,
    roles: r.roles.flatMap((role) => (ZRole.safeParse(role).success ? [role as TRole] : [])),
  }));
}
