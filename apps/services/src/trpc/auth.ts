import { and, eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { TDirectoryEntry } from '@dharma/auth/directory';
import { type TAccessClaims, verifyAccessToken } from '@dharma/auth/token';
import { tenants, users } from '@dharma/db/schema/tenancy';
import type { TTenantRead } from '@dharma/db/tenant';

export interface TMembership {
  tenantSlug: string;
  userName: string;
}

/**
 * Token verification, tenant membership and sign-in's directory lookups, memoised per process. A verified token is
 * kept until its own `exp` (its signature cannot change); membership and directory entries for `membershipTtlMs`
 * (30 s), so disabling a user or suspending a tenant takes effect within that time on every process. Membership is
 * read as one pipelined tenant read (one round trip), a directory entry through the `auth_user` definer function.
 */
export function createAuthenticator({
  secret,
  read,
  lookupUser,
  membershipTtlMs = 30_000,
}: {
  secret: string;
  read: TTenantRead;
  /** One user of the directory by id (`readDirectoryEntry`), within the database budget. */
  lookupUser: (userId: string) => Promise<TDirectoryEntry | null>;
  membershipTtlMs?: number;
}) {
  const tokens = new LRUCache<string, TAccessClaims>({ max: 20_000 });
  const members = new LRUCache<string, TMembership | false>({ max: 20_000, ttl: membershipTtlMs });
  const directory = new LRUCache<string, TDirectoryEntry | false>({ max: 20_000, ttl: membershipTtlMs });
  const lookups = new Map<string, Promise<TDirectoryEntry | null>>();
  /** A token verified before and not yet expired: its claims, with no work; undefined when it must be verified. */
  const knownClaims = (token: string): TAccessClaims | undefined => {
    const known = tokens.get(token);
    return known && known.exp * 1000 > Date.now() ? known : undefined;
  };
  const memberKey = (claims: Pick<TAccessClaims, 'tid' | 'sub'>) => `${claims.tid}:${claims.sub}`;
  /** Membership looked up in the last 30 s (null: not a member); undefined when it must be looked up. */
  const knownMembership = (claims: Pick<TAccessClaims, 'tid' | 'sub'>): TMembership | null | undefined => {
    const known = members.get(memberKey(claims));
    return known === undefined ? undefined : known || null;
  };
  return {
    knownClaims,
    knownMembership,
    async verify(token: string): Promise<TAccessClaims> {
      const known = knownClaims(token);
      if (known) return known;
      const claims = await verifyAccessToken(token, secret);
      tokens.set(token, claims, { ttl: Math.max(1, claims.exp * 1000 - Date.now()) });
      return claims;
    },
    async membership(claims: Pick<TAccessClaims, 'tid' | 'sub'>): Promise<TMembership | null> {
      const known = knownMembership(claims);
      if (known !== undefined) return known;
      const [rows] = await read(claims.tid, (q) => [
        q
          .select({ tenantSlug: tenants.slug, userName: users.name })
          .from(users)
          .innerJoin(tenants, eq(tenants.id, users.tenantId))
          .where(and(eq(users.id, claims.sub), eq(users.tenantId, claims.tid), eq(users.status, 'active'), eq(tenants.status, 'active'))),
      ]);
      const row = rows[0] ?? null;
      members.set(memberKey(claims), row ?? false);
      return row;
    },
    /**
     * An active user of an active tenant, by id, across tenants (sign-in does not know the tenant yet), or null.
     * Concurrent lookups of one user share one query.
     */
    directoryEntry(userId: string): TDirectoryEntry | null | Promise<TDirectoryEntry | null> {
      const known = directory.get(userId);
      if (known !== undefined) return known || null;
      let pending = lookups.get(userId);
      if (!pending) {
        pending = lookupUser(userId).finally(() => lookups.delete(userId));
        pending.then((entry) => directory.set(userId, entry ?? false), () => {});
        lookups.set(userId, pending);
      }
      return pending;
    },
  };
}
export type TAuthenticator = ReturnType<typeof createAuthenticator>;
