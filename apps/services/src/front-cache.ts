import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowedScope } from '@dharma/auth/rbac';
import { stableKey } from '@dharma/cache/key';
import type { TDeps } from './deps';
import type { TCachedReadSpec } from './trpc/cached-read';

const PREFIX = '/trpc/';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Answers cache hits of single (unbatched) GET reads before tRPC's adapter, which costs ~150 µs of main-thread CPU
 * per request (STACK.md). It decides exactly as the procedure would: same input schema, same token verification,
 * same tenant membership, same permission check, same tenant-scoped key and tags, and the cached value is the
 * procedure's parsed output, so the body is byte-identical to tRPC's. Anything else (no spec, bad input, no or bad
 * token, no permission, a miss, Redis trouble) returns false and tRPC handles the request as usual, errors included.
 */
export function createFrontCache(deps: TDeps, specs: Record<string, TCachedReadSpec>) {
  return async function serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const started = performance.now();
    const url = req.url ?? '';
    if (req.method !== 'GET' || !deps.env.CACHE_ENABLED || !url.startsWith(PREFIX)) return false;
    const q = url.indexOf('?');
    const path = url.slice(PREFIX.length, q < 0 ? undefined : q);
    const spec = specs[path];
    if (!spec) return false;
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    if (query.has('batch')) return false;

    let input: unknown;
    if (spec.input) {
      const raw = query.get('input');
      let json: unknown;
      try {
        json = raw === null ? undefined : JSON.parse(raw);
      } catch {
        return false;
      }
      const parsed = spec.input.safeParse(json);
      if (!parsed.success) return false;
      input = parsed.data;
    }

    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return false;
    let claims;
    try {
      claims = await deps.auth.verify(header.slice(7).trim());
    } catch {
      return false;
    }
    if (!(await deps.auth.membership(claims))) return false;
    if (!allowedScope(claims.roles, spec.resource, spec.action)) return false;

    const hit = await deps.cache.peek({ tenantId: claims.tid, namespace: path, key: stableKey(input), tags: spec.tags(input as never) });
    if (!hit) return false;

    const body = JSON.stringify({ result: { data: hit.value } });
    const incoming = req.headers['x-request-id'];
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-cache': 'HIT',
      'x-request-id': typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID(),
    });
    res.end(body);
    const labels = { procedure: path, type: 'query', status: 'OK' };
    deps.metrics.requests.inc(labels);
    deps.metrics.duration.observe(labels, (performance.now() - started) / 1000);
    return true;
  };
}
