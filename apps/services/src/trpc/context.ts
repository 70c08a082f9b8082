import { randomUUID } from 'node:crypto';
import type { TDeps } from '../deps';

/** The inner context: all a procedure needs. Tests build it directly; HTTP builds it from the request. */
export interface TContext {
  deps: TDeps;
  requestId: string;
  /** The raw Authorization header, verified by `authedProcedure`, not before. */
  authorization: string | null;
  /** Cache outcomes of this request's procedures (a batch has several), reported in the `x-cache` header. */
  cacheStatuses: string[];
}

export function createInnerContext(deps: TDeps, opts: { authorization?: string | null; requestId?: string } = {}): TContext {
  return { deps, requestId: opts.requestId ?? randomUUID(), authorization: opts.authorization ?? null, cacheStatuses: [] };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function contextFromHeaders(deps: TDeps, headers: Record<string, string | string[] | undefined>): TContext {
  const incoming = headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const auth = headers.authorization;
  return createInnerContext(deps, { requestId, authorization: typeof auth === 'string' ? auth : null });
}

/** `HIT` when every cached read of the request was a hit, `MISS` when any missed, absent when nothing was cached. */
export function cacheHeader(statuses: readonly string[]): string | null {
  if (statuses.length === 0) return null;
  if (statuses.every((s) => s === 'hit')) return 'HIT';
  if (statuses.some((s) => s === 'error')) return 'ERROR';
  if (statuses.every((s) => s === 'bypass')) return 'BYPASS';
  return 'MISS';
}
