import { sql } from 'drizzle-orm';
import type { TDb } from '../client';
import type { TStoredPermission } from '../schema/identity';
import { literal } from '../tenant';

/** Everything a request's authorization needs about its caller, read in the caller's tenant in one statement. */
export interface TAccessRow {
  tenantSlug: string;
  tenantStatus: string;
  email: string;
  name: string;
  userStatus: string;
  kind: string;
  /** Unexpired grants; `permissions` is the custom role's list, null for a system role (or a deleted custom role). */
  grants: { role: string; expiresAt: string | null; permissions: TStoredPermission[] | null; custom: boolean }[];
  teams: string[];
  token: { id: string; name: string; permissions: TStoredPermission[]; expiresAt: string; revokedAt: string | null } | null;
}

/**
 * The caller's row: their tenant, status, unexpired role grants (custom roles with their permissions), teams and,
 * for a request made with an API token, that token. Built with literals (one simple-protocol statement, pipelined
 * with the tenant reader's other reads); ids are checked uuids by then.
 */
export function accessStatement(db: TDb, { userId, tokenId }: { userId: string; tokenId?: string | null }) {
  return db.execute<Record<string, unknown>>(
    sql.raw(`select t.slug as "tenantSlug", t.status as "tenantStatus", u.email, u.name, u.status as "userStatus", u.kind,
  coalesce((select jsonb_agg(jsonb_build_object('role', g.role, 'expiresAt', g.expires_at, 'permissions', r.permissions, 'custom', r.id is not null) order by g.role)
    from role_grants_in_force g left join custom_roles r on r.tenant_id = g.tenant_id and r.name = g.role
    where g.tenant_id = u.tenant_id and g.user_id = u.id), '[]'::jsonb) as grants,
  coalesce((select jsonb_agg(m.team_id order by m.team_id) from team_members m where m.tenant_id = u.tenant_id and m.user_id = u.id), '[]'::jsonb) as teams,
  ${tokenId ? `(select jsonb_build_object('id', k.id, 'name', k.name, 'permissions', k.permissions, 'expiresAt', k.expires_at, 'revokedAt', k.revoked_at)
    from api_tokens k where k.tenant_id = u.tenant_id and k.id = ${literal(tokenId)} and k.user_id = u.id)` : 'null::jsonb'} as token
from users u join tenants t on t.id = u.tenant_id where u.id = ${literal(userId)}`),
  );
}

export function toAccessRow(rows: readonly Record<string, unknown>[]): TAccessRow | null {
  const row = rows[0];
  return row ? (row as unknown as TAccessRow) : null;
}
