import { LRUCache } from 'lru-cache';
import { resolveAccess, type TAccess, type TPrincipal } from '@dharma/auth/access';
import { hashApiToken, isApiToken, isWellFormedApiToken } from '@dharma/auth/api-token';
import type { TDirectoryEntry, TSsoChoice } from '@dharma/auth/directory';
import type { TSignInProvider } from '@dharma/auth/sso/identity';
import { TokenError, verifyAccessToken } from '@dharma/auth/token';
import type { TCache, TPeekParams } from '@dharma/cache/cache';
import { accessStatement, toAccessRow, type TAccessRow } from '@dharma/db/queries/access';
import type { TTenantRead } from '@dharma/db/tenant';

/** A verified bearer: who it acts as, and until when it may be taken from memory. */
export type TBearer = TPrincipal & { exp: number; via: 'session' | 'token' };

/** Cache tags of a caller's access entry: bumped by what changes it (grants, status, custom roles, a token). */
export const accessTags = {
  /** Every access entry of the tenant: a custom role changed, the tenant was suspended. */
  tenant: 'access',
  user: (userId: string) => `access:user:${userId}`,
  token: (tokenId: string) => `access:token:${tokenId}`,
};
const ACCESS_NAMESPACE = 'auth.access';
/** An access entry is reread at least this often even with no invalidation (a lost bump heals by then). */
const ACCESS_TTL_SECONDS = 300;

/**
 * Who a request is and what it may do, decided once per request for every path (the tRPC builders and the front
 * read layer). A bearer is a session's JWT (verified, kept until its own `exp`) or an API token (looked up by its
 * hash; the mapping never changes, so it is kept too). What the caller may do is read from the database per
 * request (`accessStatement`) through the tenant's cache under `accessTags`, so a revoked grant, a disabled user, a
 * revoked token or a suspended tenant is refused at the next request on every process (the cache's near copies are
 * invalidated by Redis; with Redis down every request reads the database). Expiries are applied at decision time.
 */
export function createAuthenticator({
  secret,
  read,
  cache,
  cacheEnabled,
  lookupUser,
  lookupToken,
  lookupProvider,
  lookupSsoProviders,
  directoryTtlMs = 30_000,
}: {
  secret: string;
  read: TTenantRead;
  cache: TCache;
  cacheEnabled: boolean;
  /** One user of the directory by id (`readDirectoryEntry`), within the database budget: for sign-in. */
  lookupUser: (userId: string) => Promise<TDirectoryEntry | null>;
  /** An API token by the hash of its secret (`auth_api_token`), within the database budget. */
  lookupToken: (hash: string) => Promise<{ tokenId: string; tenantId: string; userId: string } | null>;
  /** An enabled identity provider of an active tenant by id (`auth_identity_provider`): for single sign-on. */
  lookupProvider: (idpId: string) => Promise<TSignInProvider | null>;
  /** Providers for an email domain or a tenant slug (`auth_sso_providers`). */
  lookupSsoProviders: (q: { email?: string | undefined; tenant?: string | undefined }) => Promise<TSsoChoice[]>;
  directoryTtlMs?: number;
}) {
  // Providers are read at every sign-in step (start, callback, logout) within a few seconds: kept five seconds, and
  // forgotten at once by this process when an admin saves one (other processes see the change within five seconds).
  const providers = new Map<string, { at: number; value: Promise<TSignInProvider | null> }>();
  const PROVIDER_TTL_MS = 5000;
  const bearers = new LRUCache<string, TBearer>({ max: 20_000 });
  const unknownTokens = new LRUCache<string, true>({ max: 20_000, ttl: 60_000 });
  const directory = new LRUCache<string, TDirectoryEntry | false>({ max: 20_000, ttl: directoryTtlMs });
  const lookups = new Map<string, Promise<TDirectoryEntry | null>>();
  // The decision for a near-cache copy of a row, kept as long as the near cache hands out that same copy: a hit
  // then costs neither a JSON parse nor a decision until the first grant or token expiry passes.
  const decided = new WeakMap<object, TAccess>();
  const peekParams = new LRUCache<string, TPeekParams>({ max: 20_000 });

  const keyOf = (p: TPrincipal) => `${p.userId}:${p.tokenId ?? ''}`;
  const paramsOf = (p: TPrincipal): TPeekParams => {
    const key = `${p.tenantId}:${keyOf(p)}`;
    let params = peekParams.get(key);
    if (!params) {
      const tags = [accessTags.tenant, accessTags.user(p.userId), ...(p.tokenId ? [accessTags.token(p.tokenId)] : [])];
      peekParams.set(key, (params = { tenantId: p.tenantId, namespace: ACCESS_NAMESPACE, key: keyOf(p), tags }));
    }
    return params;
  };
  /** The caller's access from memory when the near cache holds it; undefined when only `access` can tell. */
  const knownAccess = (p: TPrincipal): TAccess | undefined => {
    if (!cacheEnabled) return undefined;
    const hit = cache.peekLocal(paramsOf(p));
    if (!hit) return undefined;
    const known = decided.get(hit);
    if (known && known.validUntil > Date.now()) return known;
    const access = resolveAccess(JSON.parse(hit.json) as TAccessRow | null, p);
    decided.set(hit, access);
    return access;
  };

  /** A bearer verified before and not yet expired; undefined when it must be verified. */
  const knownBearer = (bearer: string): TBearer | undefined => {
    const known = bearers.get(bearer);
    return known && known.exp > Date.now() ? known : undefined;
  };

  return {
    knownBearer,
    async verify(bearer: string): Promise<TBearer> {
      const known = knownBearer(bearer);
      if (known) return known;
      if (!bearer) throw new TokenError('missing');
      let verified: TBearer;
      if (isApiToken(bearer)) {
        if (!isWellFormedApiToken(bearer)) throw new TokenError('malformed');
        const hash = hashApiToken(bearer);
        if (unknownTokens.has(hash)) throw new TokenError('invalid');
        const found = await lookupToken(hash);
        if (!found) {
          unknownTokens.set(hash, true);
          throw new TokenError('invalid');
        }
        // Expiry and revocation are read with the caller's access, per request: the mapping itself never changes.
        verified = { userId: found.userId, tenantId: found.tenantId, tokenId: found.tokenId, exp: Infinity, via: 'token' };
      } else {
        const claims = await verifyAccessToken(bearer, secret);
        verified = { userId: claims.sub, tenantId: claims.tid, exp: claims.exp * 1000, via: 'session' };
      }
      bearers.set(bearer, verified, verified.exp === Infinity ? {} : { ttl: Math.max(1, verified.exp - Date.now()) });
      return verified;
    },
    knownAccess,
    /** The caller's access as the database has it now: from memory when the near cache holds it, else through the tenant's cache. */
    async access(p: TPrincipal): Promise<TAccess> {
      const known = knownAccess(p);
      if (known) return known;
      const { value } = await cache.getOrLoad(
        { ...paramsOf(p), ttlSeconds: ACCESS_TTL_SECONDS, bypass: !cacheEnabled },
        async () => toAccessRow((await read(p.tenantId, (db) => [accessStatement(db, p)]))[0]),
      );
      return resolveAccess(value, p);
    },
    /**
     * An active user of an active tenant, by id, across tenants (sign-in does not know the tenant yet), or null.
     * Concurrent lookups of one user share one query.
     */
    identityProvider(idpId: string): Promise<TSignInProvider | null> {
      const hit = providers.get(idpId);
      if (hit && Date.now() - hit.at < PROVIDER_TTL_MS) return hit.value;
      const value = lookupProvider(idpId);
      providers.set(idpId, { at: Date.now(), value });
      value.catch(() => providers.delete(idpId));
      return value;
    },
    forgetIdentityProvider(idpId: string) {
      providers.delete(idpId);
    },
    ssoProviders: lookupSsoProviders,
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
