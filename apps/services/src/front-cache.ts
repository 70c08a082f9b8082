import { isTenantWide } from '@dharma/auth/rbac';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { TPeekParams } from '@dharma/cache/cache';
import { stableKey } from '@dharma/cache/key';
import { isDatabaseUnavailable } from '@dharma/db/errors';
import type { TDeps } from './deps';
import { loaderOf, readThrough, type TCachedReadSpec, type TReadCtx } from './trpc/cached-read';
import { cacheHeader, createInnerContext } from './trpc/context';
import { actorOf, decidePermission, tenantScope, userOf } from './trpc/procedures';

const PREFIX = '/trpc/';

/**
 * What a request URL means, whoever sends it: the procedure, its spec, the validated input (shared by every request
 * with this URL: never mutated), its cache key and tags, and one stable set of cache parameters per tenant, so the
 * cache can keep what it derives from them (`peekLocal` keeps the Redis keys). Worked out once per distinct URL.
 */
interface TRoute {
  path: string;
  spec: TCachedReadSpec;
  input: unknown;
  key: string;
  tags: string[];
  observe: (seconds: number) => void;
  byTenant: Map<string, TPeekParams>;
}
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const tokenOf = (header: string) => header.slice(7).trim();

/**
 * Answers single (unbatched) GET reads of cacheable procedures before tRPC's adapter, which costs ~150 µs of
 * main-thread CPU per request (STACK.md) and more than a third of an uncached read's. It decides exactly as the
 * procedure would: same input schema, same token verification, same tenant membership, same permission check,
 * same tenant-scoped key and tags. A hit is the procedure's parsed output as stored, so the body is byte-identical to
 * tRPC's; a miss (or any read with the cache off) runs the procedure's own loader through the same `readThrough`.
 * Anything else (no spec, bad input, no or bad token, no permission, an error from the loader) returns false and
 * tRPC handles the request as usual, so every error keeps tRPC's shape and status; a loader error is then met twice,
 * except a database outage, which is recorded in `failures` for tRPC's procedure to report at once.
 */
export function createFrontCache(deps: TDeps, specs: Record<string, TCachedReadSpec>, failures?: WeakMap<IncomingMessage, unknown>) {
  // Parsing, validating and hashing an input is deterministic, so it is done once per distinct URL.
  const routes = new LRUCache<string, TRoute | false>({ max: 10_000 });
  const routeOf = (url: string): TRoute | false => {
    const known = routes.get(url);
    if (known !== undefined) return known;
    let route: TRoute | false = false;
    const q = url.indexOf('?');
    const path = url.slice(PREFIX.length, q < 0 ? undefined : q);
    const spec = Object.hasOwn(specs, path) ? specs[path] : undefined;
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    if (spec && !query.has('batch')) {
      let input: unknown;
      let ok = true;
      if (spec.input) {
        const raw = query.get('input');
        try {
          const parsed = spec.input.safeParse(raw === null ? undefined : JSON.parse(raw));
          ok = parsed.success;
          input = parsed.data;
        } catch {
          ok = false;
        }
      }
      if (ok) {
        // Bound observers of one procedure share its series, so each URL may bind its own.
        const observe = deps.metrics.requests.bind({ procedure: path, type: 'query', status: 'OK' });
        route = { path, spec, input, key: stableKey(input), tags: spec.tags(input as never), observe, byTenant: new Map() };
      }
    }
    routes.set(url, route);
    return route;
  };
  const peekParams = (route: TRoute, tenantId: string): TPeekParams => {
    let params = route.byTenant.get(tenantId);
    if (params === undefined) route.byTenant.set(tenantId, (params = { tenantId, namespace: route.path, key: route.key, tags: route.tags }));
    return params;
  };

  // The encoded body of a hit, kept as long as the cache hands out the same entry object (near-cache hits do).
  const bodies = new WeakMap<object, Buffer>();
  /** The stored JSON is the procedure's parsed output: spliced as is, it is what tRPC would have serialised. */
  const encode = (json: string): Buffer => Buffer.from(json === '' ? '{"result":{}}' : `{"result":{"data":${json}}}`);
  const bodyOf = (hit: { json: string }): Buffer => {
    let body = bodies.get(hit);
    if (body === undefined) bodies.set(hit, (body = encode(hit.json)));
    return body;
  };

  /** Writes a 200 with the body, and counts the request. */
  const send = (res: ServerResponse, route: TRoute, body: Buffer, cache: string, requestId: string, started: number): true => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      'x-cache': cache,
      'x-request-id': requestId,
    });
    res.end(body);
    const ms = performance.now() - started;
    route.observe(ms / 1000);
    deps.requests.record(ms, 'ok');
    return true;
  };
  const requestIdOf = (req: IncomingMessage): string => {
    const incoming = req.headers['x-request-id'];
    return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  };

  /** The rest of a read, when something is not in memory: verifying a token, membership, Redis, the loader. */
  async function serveAsync(req: IncomingMessage, res: ServerResponse, route: TRoute, header: string, started: number): Promise<boolean> {
    let principal;
    try {
      principal = await deps.auth.verify(tokenOf(header));
    } catch {
      return false;
    }
    let access;
    try {
      access = await deps.auth.access(principal);
    } catch (error) {
      if (isDatabaseUnavailable(error)) failures?.set(req, error);
      return false;
    }
    if (!access.ok) return false;
    const user = userOf(principal, access);
    const decision = decidePermission(user, route.spec.resource, route.spec.action);
    // Cached entries are the tenant's: an own- or team-scope reader goes through the procedure, which reads their rows.
    if (!('scope' in decision) || !isTenantWide(decision.scope)) return false;
    const { scope } = decision;

    const requestId = requestIdOf(req);
    const hit = deps.env.CACHE_ENABLED ? await deps.cache.peek(peekParams(route, principal.tenantId)) : null;
    if (hit) return send(res, route, bodyOf(hit), 'HIT', requestId, started);
    const { spec, path, input } = route;
    const load = loaderOf(spec);
    if (!load) return false;
    const base = createInnerContext(deps, { authorization: header, requestId });
    const ctx: TReadCtx = { ...base, principal, user, ...tenantScope(deps, { id: principal.tenantId, slug: access.tenantSlug }, base.cacheStatuses, () => actorOf(user, base)), scope };
    let json: string;
    try {
      json = JSON.stringify(await readThrough(spec, ctx, path, input, load, route)) ?? '';
    } catch (error) {
      // tRPC answers with its own error shape; when the database is unavailable it is told so (`knownFailure`)
      // rather than waiting for the database a second time.
      if (isDatabaseUnavailable(error)) failures?.set(req, error);
      return false;
    }
    return send(res, route, encode(json), cacheHeader(ctx.cacheStatuses) ?? 'BYPASS', requestId, started);
  }

  /**
   * True when the read was answered, false when tRPC should handle the request, or a promise of either. A hit whose
   * token, membership and entry are all in memory is answered before this returns, with nothing awaited.
   */
  return function serve(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
    const started = performance.now();
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith(PREFIX)) return false;
    const route = routeOf(url);
    if (!route) return false;
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return false;

    // The same decisions as below, taken from memory when everything they need is there.
    const principal = deps.auth.knownBearer(tokenOf(header));
    const access = principal && deps.auth.knownAccess(principal);
    if (principal && access !== undefined) {
      if (!access.ok) return false;
      const decision = decidePermission(access, route.spec.resource, route.spec.action);
      if (!('scope' in decision) || !isTenantWide(decision.scope)) return false;
      const hit = deps.env.CACHE_ENABLED ? deps.cache.peekLocal(peekParams(route, principal.tenantId)) : undefined;
      if (hit) return send(res, route, bodyOf(hit), 'HIT', requestIdOf(req), started);
    }
    return serveAsync(req, res, route, header, started);
  };
}
