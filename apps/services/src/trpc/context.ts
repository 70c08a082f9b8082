import { randomUUID } from 'node:crypto';
import { DomainError } from '@dharma/db/errors';
import type { TDeps } from '../deps';

/** The inner context: all a procedure needs. Tests build it directly; HTTP builds it from the request. */
export interface TContext {
  deps: TDeps;
  requestId: string;
  /** The raw Authorization header, verified by `authedProcedure`, not before. */
  authorization: string | null;
  /** Cache outcomes of this request's procedures (a batch has several), reported in the `x-cache` header. */
  cacheStatuses: string[];
  /** The raw `Idempotency-Key` header; creating mutations validate it (`idempotencyKey`) and store it with the row. */
  idempotencyKey: string | null;
  /** Where the request came from and with what, as audit events record it. */
  clientIp: string | null;
  userAgent: string | null;
  /**
   * A failure the front read layer already met for this request (the database unavailable): the procedure reports
   * it instead of waiting for the database a second time.
   */
  knownFailure: unknown;
}

export function createInnerContext(
  deps: TDeps,
  opts: { authorization?: string | null; requestId?: string; idempotencyKey?: string | null; knownFailure?: unknown; clientIp?: string | null; userAgent?: string | null } = {},
): TContext {
  return {
    deps,
    requestId: opts.requestId ?? randomUUID(),
    authorization: opts.authorization ?? null,
    cacheStatuses: [],
    idempotencyKey: opts.idempotencyKey ?? null,
    knownFailure: opts.knownFailure,
    clientIp: opts.clientIp ?? null,
    userAgent: opts.userAgent ?? null,
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The client's address: the first `X-Forwarded-For` hop when a proxy in front (the console, an ingress) set one,
 * else the socket's peer. Recorded for the audit log, never used to decide access.
 */
function clientIpOf(headers: Record<string, string | string[] | undefined>, remoteAddress: string | undefined): string | null {
  const forwarded = headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : '';
  return (first && first.length <= 64 ? first : remoteAddress) ?? null;
}

export function contextFromHeaders(deps: TDeps, headers: Record<string, string | string[] | undefined>, knownFailure?: unknown, remoteAddress?: string): TContext {
  const incoming = headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const auth = headers.authorization;
  const key = headers['idempotency-key'];
  return createInnerContext(deps, {
    requestId,
    authorization: typeof auth === 'string' ? auth : null,
    idempotencyKey: typeof key === 'string' ? key : null,
    knownFailure,
    clientIp: clientIpOf(headers, remoteAddress),
    userAgent: typeof headers['user-agent'] === 'string' ? headers['user-agent'].slice(0, 512) : null,
  });
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The request's `Idempotency-Key` (null without one), checked: 1 to 200 visible ASCII characters, for example a
 * UUID. A malformed key is the caller's mistake, named as the field `Idempotency-Key`.
 */
export function idempotencyKey(ctx: Pick<TContext, 'idempotencyKey'>): string | null {
  const key = ctx.idempotencyKey;
  if (key === null) return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw new DomainError('BAD_REQUEST', 'must be 1 to 200 visible ASCII characters, for example a UUID', 'Idempotency-Key');
  return key;
}

/** `HIT` when every cached read of the request was a hit, `MISS` when any missed, absent when nothing was cached. */
export function cacheHeader(statuses: readonly string[]): string | null {
  if (statuses.length === 0) return null;
  if (statuses.every((s) => s === 'hit')) return 'HIT';
  if (statuses.some((s) => s === 'error')) return 'ERROR';
  if (statuses.every((s) => s === 'bypass')) return 'BYPASS';
  return 'MISS';
}
