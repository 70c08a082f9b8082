import { IdpUnavailable } from '@dharma/auth/sso/oidc';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { TEntryPatch } from '@dharma/cache/cache';
import { stableKey } from '@dharma/cache/key';
import type { TAccess, TPrincipal } from '@dharma/auth/access';
import { scopeIn, type TAction, type TPermission, type TResource, type TScope } from '@dharma/auth/rbac';
import { TokenError } from '@dharma/auth/token';
import type { TAuditActor } from '@dharma/db/audit-context';
import { DatabaseBusy, DomainError, domainErrorFromPg, isDatabaseUnavailable, pgErrorCode, type TDomainErrorCode } from '@dharma/db/errors';
import type { TDb } from '@dharma/db/client';
import type { TOneStatement, TTenantTx } from '@dharma/db/tenant';
import type { TDeps } from '../deps';
import { t } from './init';

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const DOMAIN_TO_TRPC: Record<TDomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  BAD_REQUEST: 'BAD_REQUEST',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  UNPROCESSABLE_CONTENT: 'UNPROCESSABLE_CONTENT',
};

/**
 * The transport error of a failure that is nobody's mistake: the database (or PgBouncer) refused, dropped the
 * connection or did not answer in time (503, Retry-After set by the HTTP layer); a schema that was never migrated
 * (503 that says so). Undefined for anything else.
 */
function unavailable(cause: unknown): TRPCError | undefined {
  if (cause instanceof DatabaseBusy) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the service is overloaded (too many database calls waiting); nothing was done: retry shortly', cause });
  }
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable right now; retry shortly (a write may have been applied: retry it with the same Idempotency-Key)', cause });
  }
  if (cause instanceof IdpUnavailable) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `${cause.message}; retry shortly`, cause });
  const code = pgErrorCode(cause);
  if (code === '42P01' || code === '42883') {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the database is not migrated: run npm run db:migrate (and npm run db:seed for sample data)', cause });
  }
  return undefined;
}

/**
 * Times every call (count + histogram per procedure, type and result code) and turns domain errors into their
 * tRPC codes, so handlers never build transport errors themselves. Anything else stays a 500 and is logged.
 */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  let status = 'OK';
  if (!result.ok) {
    // A refusal the database raised for the caller (a DH SQLSTATE: a quota, a conflict) is theirs, whichever write hit it.
    const cause = result.error.cause instanceof DomainError ? result.error.cause : (domainErrorFromPg(result.error.cause) ?? result.error.cause);
    const down = cause instanceof DomainError ? undefined : unavailable(cause);
    if (cause instanceof DomainError) {
      result.error = new TRPCError({ code: DOMAIN_TO_TRPC[cause.code], message: cause.message, cause });
    } else if (down) {
      result.error = down;
    } else if (result.error.code === 'INTERNAL_SERVER_ERROR') {
      console.error(`[${ctx.requestId}] ${path} failed:`, result.error.cause ?? result.error);
    }
    status = result.error.code;
  }
  const ms = performance.now() - started;
  ctx.deps.metrics.requests.observe({ procedure: path, type, status }, ms / 1000);
  ctx.deps.requests.record(ms, result.ok ? 'ok' : getHTTPStatusCodeFromError(result.error) >= 500 ? 'server_error' : 'client_error');
  return result;
});

/** Anyone may call it. Still measured and error-mapped. */
export const publicProcedure = t.procedure.use(observed);

/** The caller as procedures see it: who (principal) and what they may do now (access, from the database). */
export function userOf(principal: TPrincipal, access: Extract<TAccess, { ok: true }>) {
  return {
    id: principal.userId,
    tenantId: principal.tenantId,
    email: access.email,
    name: access.name,
    roles: access.roles,
    permissions: access.permissions,
    teams: access.teams,
    token: access.token,
  };
}
export type TUser = ReturnType<typeof userOf>;

/** Who made a change and from where, as the audit events of a mutation record it. */
export function actorOf(
  user: { id: string; email: string; token: { name: string } | null },
  request: { requestId: string; clientIp: string | null; userAgent: string | null },
): TAuditActor {
  return {
    actorId: user.id,
    actorType: user.token ? 'token' : 'user',
    actorLabel: user.token ? `${user.email} (token ${user.token.name})` : user.email,
    requestId: request.requestId,
    ip: request.clientIp,
    userAgent: request.userAgent,
  };
}

/**
 * Guarantees `ctx.principal`: a bearer whose signature, issuer, audience and expiry were verified (a session's
 * token), or an API token that exists (its expiry and revocation are checked with the caller's access).
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const header = ctx.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  try {
    const principal = await ctx.deps.auth.verify(token);
    return next({ ctx: { principal } });
  } catch (error) {
    if (error instanceof TokenError) {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: error.reason === 'missing' ? 'sign in first: no bearer token' : `bearer token ${error.reason}` });
    }
    throw error;
  }
});

export interface TTenantCache {
  /** Cache-aside read, keyed by tenant + procedure path + input, invalidated by `tags`. */
  read<T>(opts: { path: string; input: unknown; key?: string; tags: string[]; ttlSeconds?: number }, loader: () => Promise<T>): Promise<T>;
  /**
   * Bump tags after a committed mutation: every read stamped with an older version becomes a miss. With a patch,
   * recently read entries it applies to are rewritten from their current value instead of reloaded (`TEntryPatch`).
   */
  invalidate(tags: string[], patch?: TEntryPatch | readonly TEntryPatch[]): Promise<void>;
  /** Load and store an entry a reader is about to ask for, off the request (never throws). */
  warm(opts: { path: string; input: unknown; tags: string[]; ttlSeconds?: number }, loader: () => Promise<unknown>): Promise<void>;
}

/**
 * Guarantees `ctx.user` (an active member of an active tenant, with the roles and permissions the database gives
 * them now), `ctx.tenant`, `ctx.tx` (a transaction with that tenant set for RLS) and `ctx.cache` (a cache whose keys
 * are scoped to that tenant). A write through `ctx.write` or `ctx.tx` records the caller as its audit actor.
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, next }) => {
  // The front read layer met a database outage on this very request: report it instead of waiting a second time.
  if (ctx.knownFailure !== undefined) throw ctx.knownFailure;
  const access = await ctx.deps.auth.access(ctx.principal);
  if (!access.ok) throw new TRPCError({ code: 'FORBIDDEN', message: access.reason });
  const user = userOf(ctx.principal, access);
  return next({ ctx: { user, ...tenantScope(ctx.deps, { id: ctx.principal.tenantId, slug: access.tenantSlug }, ctx.cacheStatuses, () => actorOf(user, ctx)) } });
});

/**
 * What a tenant's procedures work with: the tenant, `tx` (a transaction with that tenant set for RLS), `read`
 * (pipelined read-only queries of that tenant) and `cache` (keys scoped to that tenant, outcomes reported in
 * `cacheStatuses`). Built by `tenantProcedure`, and by the front read path for the same reads.
 */
export function tenantScope(deps: TDeps, tenant: { id: string; slug: string }, cacheStatuses: string[], actor: () => TAuditActor) {
  const tenantId = tenant.id;
  const cache: TTenantCache = {
    async read({ path, input, key, tags, ttlSeconds }, loader) {
      const { value, status } = await deps.cache.getOrLoad(
        { tenantId, namespace: path, key: key ?? stableKey(input), tags, ttlSeconds, bypass: !deps.env.CACHE_ENABLED, input },
        loader,
      );
      cacheStatuses.push(status);
      return value;
    },
    async invalidate(tags, patch) {
      await deps.cache.invalidate({ tenantId, tags, ...(patch ? { patch } : {}) });
    },
    async warm({ path, input, tags, ttlSeconds }, loader) {
      if (!deps.env.CACHE_ENABLED) return;
      await deps.cache.warm({ tenantId, namespace: path, key: stableKey(input), tags, ttlSeconds }, loader);
    },
  };
  return {
    tenant,
    /** A tenant transaction; unless read-only, the caller is its audit actor. */
    tx: <T>(fn: (tx: TTenantTx) => Promise<T>, options?: { readOnly?: boolean }) => deps.inTenant(tenantId, fn, options?.readOnly ? options : { ...options, audit: actor() }),
    /** Read-only queries of this tenant pipelined in one round trip; see `createTenantReader`. */
    read: <const S extends readonly TOneStatement<unknown>[]>(build: (db: TDb) => S) => deps.readInTenant(tenantId, build),
    /** Statements of this tenant run as one implicit transaction in one round trip; see `createTenantWriter`. */
    write: <const S extends readonly TOneStatement<unknown>[]>(build: (db: TDb) => S) => deps.writeInTenant(tenantId, build, actor()),
    cache,
  };
}

/**
 * The refusal of a call whose caller lacks `resource:action`, naming the permission and what the caller holds, or
 * null with the scope they hold it at. One rule for the builders and the front read layer.
 */
export function decidePermission(user: { roles: readonly string[]; permissions: readonly TPermission[]; token: { name: string } | null }, resource: TResource, action: TAction): { scope: TScope } | { denied: string } {
  const scope = scopeIn(user.permissions, resource, action);
  if (scope) return { scope };
  const holder = user.token ? `your token "${user.token.name}" (with your roles: ${user.roles.join(', ') || 'none'})` : `your roles (${user.roles.join(', ') || 'none'})`;
  return { denied: `missing permission ${resource}:${action}: ${holder} do not grant it` };
}

/** Guarantees `ctx.scope`: the widest scope at which the caller's permissions allow `action` on `resource`. */
export function permission(resource: TResource, action: TAction) {
  return tenantProcedure.use(({ ctx, next }) => {
    const decision = decidePermission(ctx.user, resource, action);
    if ('denied' in decision) throw new TRPCError({ code: 'FORBIDDEN', message: decision.denied });
    return next({ ctx: { scope: decision.scope } });
  });
}
