import { and, eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { type TAccessClaims, verifyAccessToken } from '@dharma/auth/token';
import type { TDb } from '@dharma/db/client';
import { tenants, users } from '@dharma/db/schema/tenancy';
import { withTenant } from '@dharma/db/tenant';

export interface TMembership {
  tenantSlug: string;
  userName: string;
}

/**
 * Token verification and tenant membership, both memoised per process. A verified token is kept until its own
 * `exp` (its signature cannot change); membership for 30 s, so disabling a user or suspending a tenant takes
 * effect within 30 s on every process.
 */
export function createAuthenticator({ secret, db, membershipTtlMs = 30_000 }: { secret: string; db: TDb; membershipTtlMs?: number }) {
  const tokens = new LRUCache<string, TAccessClaims>({ max: 10_000 });
  const members = new LRUCache<string, TMembership | false>({ max: 10_000, ttl: membershipTtlMs });

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
      const key = memberKey(claims);
      const [row] = await withTenant(
        db,
        claims.tid,
        (tx) =>
          tx
            .select({ tenantSlug: tenants.slug, userName: users.name })
            .from(users)
            .innerJoin(tenants, eq(tenants.id, users.tenantId))
            .where(and(eq(users.id, claims.sub), eq(users.tenantId, claims.tid), eq(users.status, 'active'), eq(tenants.status, 'active'))),
        { readOnly: true },
      );
      members.set(key, row ?? false);
      return row ?? null;
    },
  };
}

export type TAuthenticator = ReturnType<typeof createAuthenticator>;
