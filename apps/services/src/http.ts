import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { TDeps } from './deps';
import { createFrontCache } from './front-cache';
import { appRouter, cachedReadSpecs } from './routers/app.router';
import { contextFromHeaders } from './trpc/context';
import { createFrontCalls, metaHeaders } from './front-calls';

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * The answer to a request refused under load: 503 with Retry-After, in tRPC's error shape (an array of one error per
 * procedure for a batch), so every tRPC client reports it as SERVICE_UNAVAILABLE. Nothing of the request ran.
 */
function shed(res: ServerResponse, url: string, retryAfter: string) {
  const q = url.indexOf('?');
  const paths = url.slice(6, q < 0 ? undefined : q).split(',');
  const error = (path: string) => ({
    error: { message: 'the service is overloaded; retry after the Retry-After delay', code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, path } },
  });
  const batch = q >= 0 && /(?:^|&)batch=1(?:&|$)/.test(url.slice(q + 1));
  res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': retryAfter });
  res.end(JSON.stringify(batch ? paths.map(error) : error(paths[0] ?? '')));
}

/** Readiness: the database through the configured URL (PgBouncer in a real deployment) and the cache store. */
export async function readiness(deps: TDeps) {
  const [db, cache] = await Promise.allSettled([
    withTimeout(deps.db.sql`select 1`, 2000, 'database'),
    withTimeout(deps.store.ping(), 2000, `cache (${deps.store.kind})`),
  ]);
  const reason = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? String((r.reason as Error)?.message ?? r.reason) : null);
  const checks = { database: reason(db) ?? 'ok', cache: reason(cache) ?? 'ok' };
  return { ready: checks.database === 'ok' && checks.cache === 'ok', checks };
}

/** The process's one HTTP listener: tRPC under /trpc/, probes and metrics beside it. */
/**
 * `metrics`: the Prometheus exposition `/metrics` answers with; by default this process's registry. A cluster
 * worker passes the whole cluster's, aggregated by the primary (server.ts), so a scrape that reaches any worker sees
 * every worker's counts.
 */
export function createRequestListener(deps: TDeps, { metrics = () => deps.metrics.registry.metrics() }: { metrics?: () => Promise<string> } = {}): RequestListener {
  const failures = new WeakMap<IncomingMessage, unknown>();
  const retryAfter = String(deps.env.RETRY_AFTER_SECONDS);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: deps.env.MAX_BODY_BYTES,
    createContext: ({ req, res }) => {
      const ctx = contextFromHeaders(deps, req.headers, failures.get(req), req.socket.remoteAddress);
      res.setHeader('x-request-id', ctx.requestId);
      return ctx;
    },
    // x-cache, and Retry-After on a 503 or 429: a dependency down or the process shedding load.
    responseMeta: ({ ctx, errors }) => ({ headers: metaHeaders(ctx, errors, retryAfter) }),
  });
  const front = createFrontCache(deps, cachedReadSpecs, failures);
  const calls = deps.env.FRONT_CALLS ? createFrontCalls(deps, appRouter, failures) : () => false;
  /** A call the front cache did not answer: the front call layer, else tRPC's adapter. */
  const call = (req: IncomingMessage, res: ServerResponse) => {
    let served: boolean | Promise<boolean>;
    try {
      served = calls(req, res);
    } catch {
      served = false; // thrown before anything was read: tRPC answers instead
    }
    if (served === false) return trpc(req, res);
    if (served !== true) void served.catch(() => res.destroy());
  };
  const { shedder } = deps;
  const finished = () => shedder.finished();
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url.startsWith('/trpc/')) {
      const refused = shedder.refuse();
      if (refused !== null) {
        deps.metrics.shed.inc({ reason: refused });
        return shed(res, url, retryAfter);
      }
      shedder.started();
      res.once('close', finished);
      const enabled = deps.env.SERVICES;
      if (enabled) {
        let paths: string[];
        try {
          paths = decodeURIComponent(url.slice(6).split('?')[0] ?? '').split(',');
        } catch {
          return json(res, 400, { error: { message: 'malformed procedure path', code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400 } } });
        }
        const off = paths.find((p) => !enabled.has(p.split('.')[0] ?? ''));
        if (off !== undefined) return json(res, 404, { error: { message: `${off}: not served by this process (SERVICES=${[...enabled].join(',')})`, code: -32004, data: { code: 'NOT_FOUND', httpStatus: 404 } } });
      }
      let served: boolean | Promise<boolean>;
      try {
        served = front(req, res);
      } catch {
        served = false; // a bug in the front layer must not take the process down: tRPC answers instead
      }
      if (served === true) return;
      if (served === false) return call(req, res);
      return void served.then(
        (answered) => {
          if (!answered) call(req, res);
        },
        () => call(req, res),
      );
    }
    if (url === '/healthz') return json(res, 200, { ok: true });
    if (url === '/readyz') {
      return void readiness(deps).then((r) => json(res, r.ready ? 200 : 503, r), (e: unknown) => json(res, 503, { ready: false, error: String(e) }));
    }
    if (url === '/metrics') {
      return void metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
          res.end(body);
        },
        (e: unknown) => json(res, 500, { error: String(e) }),
      );
    }
    json(res, 404, { error: `no route for ${url.split('?')[0]}` });
  };
}
