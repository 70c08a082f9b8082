import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { type AnyProcedure, type AnyRouter, getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server/unstable-core-do-not-import';
import type { TDeps } from './deps';
import { cacheHeader, contextFromHeaders, type TContext } from './trpc/context';

const PREFIX = '/trpc/';

/**
 * The headers tRPC's `responseMeta` adds (http.ts) and this layer adds the same way: `x-cache` from the request's
 * cached reads, and Retry-After on a 503 or 429.
 */
export function metaHeaders(ctx: TContext | undefined, errors: readonly TRPCError[], retryAfter: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const cache = ctx ? cacheHeader(ctx.cacheStatuses) : null;
  if (cache) headers['x-cache'] = cache;
  if (errors.some((e) => e.code === 'SERVICE_UNAVAILABLE' || e.code === 'TOO_MANY_REQUESTS')) headers['retry-after'] = retryAfter;
  return headers;
}

/**
 * Single, unbatched calls of any query or mutation, run through the router's own procedure (its whole middleware
 * chain: token, tenant, permission, validation, error mapping) without tRPC's Node adapter, which turns every request
 * into a Fetch `Request` and `Response` with web streams and an AbortSignal: about 300 µs of CPU a call on these
 * machines against 40 µs for the rest of a small call (STACK.md), and sign-in, writes and health checks are half of
 * every load mix. The answer is what tRPC sends for the same call: the same body (`{"result":{"data":...}}`, or
 * `{"error":...}` shaped by the router's error formatter), the same status, the `x-request-id`, `x-cache` and
 * Retry-After headers. Whatever this layer does not cover returns false before anything is read, and tRPC answers
 * it: batches, subscriptions, unknown paths, a method the procedure does not take, a POST that is not JSON, a GET
 * input that is not JSON (tRPC's own errors, in its shapes).
 */
export function createFrontCalls(deps: TDeps, router: AnyRouter, failures?: WeakMap<IncomingMessage, unknown>) {
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const retryAfter = String(deps.env.RETRY_AFTER_SECONDS);
  const maxBody = deps.env.MAX_BODY_BYTES;

  function answer(res: ServerResponse, ctx: TContext | undefined, status: number, body: string, errors: TRPCError[]) {
    res.writeHead(status, {
      'content-type': 'application/json',
      vary: 'trpc-accept, accept',
      ...(ctx ? { 'x-request-id': ctx.requestId } : {}),
      ...metaHeaders(ctx, errors, retryAfter),
    });
    res.end(body);
  }

  async function run(req: IncomingMessage, res: ServerResponse, path: string, proc: AnyProcedure, rawInput: () => unknown): Promise<true> {
    const type = proc._def.type as 'query' | 'mutation';
    const ctx = contextFromHeaders(deps, req.headers, failures?.get(req));
    let input: unknown;
    try {
      input = rawInput();
      const data = await proc({ path, getRawInput: async () => input, ctx, type, signal: undefined, batchIndex: 0 });
      answer(res, ctx, 200, JSON.stringify({ result: { data } }), []);
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      const shape = getErrorShape({ config, ctx, error, input, path, type });
      answer(res, ctx, getHTTPStatusCodeFromError(error), JSON.stringify({ error: shape }), [error]);
    }
    return true;
  }

  /** The body, or a 413 already answered (null) when it passes MAX_BODY_BYTES. */
  function readBody(req: IncomingMessage, res: ServerResponse, path: string): Promise<string | null> {
    return new Promise((resolveBody, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (chunk: Buffer) => {
        if (over) return;
        size += chunk.length;
        if (size > maxBody) {
          over = true;
          const ctx = contextFromHeaders(deps, req.headers);
          const error = new TRPCError({ code: 'PAYLOAD_TOO_LARGE' });
          answer(res, ctx, 413, JSON.stringify({ error: getErrorShape({ config, ctx, error, input: undefined, path, type: 'mutation' }) }), [error]);
          resolveBody(null);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (!over) resolveBody(Buffer.concat(chunks).toString('utf8'));
      });
      req.on('error', reject);
    });
  }

  /** True when answered; false when tRPC should answer (nothing of the request has been read); or a promise of true. */
  return function serve(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = url.slice(PREFIX.length, q < 0 ? undefined : q);
    if (path.includes(',') || path.includes('%')) return false;
    const proc = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (!proc) return false;
    const type = proc._def.type;
    if (type === 'query' && req.method === 'GET') {
      const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      if (params.has('batch')) return false;
      const raw = params.get('input');
      let input: unknown;
      try {
        input = raw === null ? undefined : JSON.parse(raw);
      } catch {
        return false;
      }
      return run(req, res, path, proc, () => input);
    }
    if (type === 'mutation' && req.method === 'POST') {
      if (q >= 0 && url.slice(q + 1).split('&').some((p) => p.startsWith('batch='))) return false;
      if (!req.headers['content-type']?.startsWith('application/json')) return false;
      return readBody(req, res, path).then((body) => {
        if (body === null) return true;
        // A body that is not JSON is the caller's mistake, reported as tRPC reports it (400, the parser's message).
        return run(req, res, path, proc, () => {
          try {
            return JSON.parse(body);
          } catch (cause) {
            throw new TRPCError({ code: 'BAD_REQUEST', message: (cause as Error).message, cause });
          }
        });
      });
    }
    return false;
  };
}
