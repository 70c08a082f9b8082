import type { TAccessRow } from '@dharma/db/queries/access';
import { isSystemRole, narrowToToken, systemPermissions, type TPermission } from './rbac';

/** Who a request acts as: a user of a tenant, through a console session's token or through an API token. */
export interface TPrincipal {
  userId: string;
  tenantId: string;
  tokenId?: string | null;
}

export type TAccess =
  | {
      ok: true;
      tenantSlug: string;
      email: string;
      name: string;
      kind: string;
      /** Role names in force now (expired grants dropped). */
      roles: string[];
      permissions: TPermission[];
      teams: string[];
      token: { id: string; name: string } | null;
      /** Epoch ms after which this answer must be worked out again (the first grant or token expiry), or Infinity. */
      validUntil: number;
    }
  | { ok: false; reason: string; validUntil: number };

/**
 * The one decision of who a caller is in a tenant and what they may do, from their row as the database has it now
 * (`accessStatement`). Every path that authorizes a request (the tRPC builders, the front read layer) takes it
 * from here.
 */
export function resolveAccess(row: TAccessRow | null, principal: TPrincipal, now = Date.now()): TAccess {
  const refuse = (reason: string): TAccess => ({ ok: false, reason, validUntil: Infinity });
  if (!row) return refuse('your account is not a member of this tenant');
  if (row.tenantStatus !== 'active') return refuse(`tenant ${row.tenantSlug} is suspended`);
  if (row.userStatus !== 'active') return refuse('your account is disabled in this tenant');
  let validUntil = Infinity;
  const roles: string[] = [];
  let permissions: TPermission[] = [];
  for (const grant of row.grants) {
    const expires = grant.expiresAt === null ? Infinity : Date.parse(grant.expiresAt);
    if (expires <= now) continue;
    validUntil = Math.min(validUntil, expires);
    if (grant.custom && grant.permissions) {
      roles.push(grant.role);
      permissions = permissions.concat(grant.permissions as TPermission[]);
    } else if (isSystemRole(grant.role)) {
      roles.push(grant.role);
      permissions = permissions.concat(systemPermissions(grant.role));
    }
  }
  let token: { id: string; name: string } | null = null;
  if (principal.tokenId) {
    const t = row.token;
    if (!t || t.id !== principal.tokenId) return refuse('API token not found');
    if (t.revokedAt !== null) return refuse('API token revoked');
    const expires = Date.parse(t.expiresAt);
    if (expires <= now) return refuse('API token expired');
    validUntil = Math.min(validUntil, expires);
    permissions = narrowToToken(permissions, t.permissions as TPermission[]);
    token = { id: t.id, name: t.name };
  } else if (row.kind === 'service') {
    return refuse('service accounts act only through their API tokens');
  }
  return { ok: true, tenantSlug: row.tenantSlug, email: row.email, name: row.name, kind: row.kind, roles, permissions, teams: row.teams, token, validUntil };
}
