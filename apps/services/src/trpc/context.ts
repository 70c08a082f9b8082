import { randomUUID } from 'node:crypto';
import type { TDeps } from '../deps';

/** The inner context: all a procedure needs. Tests build it directly; HTTP builds it from the request. */
export interface TContext {
  deps: TDeps;
  requestId: string;
  /** The raw Authorization header, verified by `authedProcedure`, not before. */
  authorization: string | null;
}

export function createInnerContext(deps: TDeps, opts: { authorization?: string | null; requestId?: string } = {}): TContext {
  return { deps, requestId: opts.requestId ?? randomUUID(), authorization: opts.authorization ?? null };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function contextFromHeaders(deps: TDeps, headers: Record<string, string | string[] | undefined>): TContext {
  const incoming = headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const auth = headers.authorization;
  return createInnerContext(deps, { requestId, authorization: typeof auth === 'string' ? auth : null });
}
