import { createTRPCClient, httpBatchLink, httpLink, retryLink, splitLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '@dharma/services/routers/app.router';

export type { AppRouter };

export interface TClientOptions {
  /** Extra headers on every request, for example a request id. */
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Queries per batched HTTP request; 1 disables batching. Mutations are sent one per request. */
  maxBatchSize?: number;
  /**
   * Attempts per call when the services answer 503 or 429 (an outage or load shedding, with Retry-After) or do not
   * answer at all; default 3. A mutation is retried with the same Idempotency-Key, so a create that was applied
   * before its answer was lost returns its first result instead of running twice. 1 turns retries off.
   */
  attempts?: number;
  /** Pause before retry n (1-based), in ms; default 1 s, 2 s, 4 s..., at least the services' Retry-After of 1 s. */
  retryDelayMs?: (retry: number) => number;
}

/** Context a caller may set per mutation: `{ context: { idempotencyKey } }` to reuse a key across its own retries. */
export interface TCallContext extends Record<string, unknown> {
  idempotencyKey?: string;
}

/**
 * Gives every mutation an Idempotency-Key (a random UUID unless the caller set one in its context), kept in the
 * operation's context, which every retry of that operation shares.
 */
const idempotencyKeyLink: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) => {
    if (op.type === 'mutation') {
      const context = op.context as TCallContext;
      context.idempotencyKey ??= crypto.randomUUID();
    }
    return next(op).subscribe(observer);
  });

/** True for a failure worth retrying: the services said 503 or 429, or nothing answered (a network error). */
export function isRetryable(error: TRPCClientError<AppRouter>): boolean {
  const status = error.data?.httpStatus;
  if (status === 503 || status === 429) return true;
  return status === undefined && error.cause instanceof Error && !(error.cause instanceof TRPCClientError);
}

/**
 * The typed IaC Dharma client: `createClient('http://localhost:4000', token).blueprints.list.query({...})`.
 * `url` is the services' base URL (the `/trpc` path is added); `token` is an access token from `npm run token`.
 * Queries are batched; mutations go one per request with an Idempotency-Key; both are retried on 503, 429 and
 * network errors (`attempts`).
 */
export function createClient(url: string, token: string, options: TClientOptions = {}) {
  const base = url.replace(/\/+$/, '');
  const endpoint = base.endsWith('/trpc') ? base : `${base}/trpc`;
  const attempts = options.attempts ?? 3;
  const common = {
    url: endpoint,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return createTRPCClient<AppRouter>({
    links: [
      idempotencyKeyLink,
      retryLink({
        retry: ({ error, attempts: made }) => made < attempts && isRetryable(error),
        retryDelayMs: options.retryDelayMs ?? ((retry) => Math.min(30_000, 1000 * 2 ** (retry - 1))),
      }),
      splitLink({
        condition: (op) => op.type === 'mutation',
        true: httpLink({
          ...common,
          headers: ({ op }) => {
            const key = (op.context as TCallContext).idempotencyKey;
            return { ...options.headers, authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) };
          },
        }),
        false: httpBatchLink({
          ...common,
          maxItems: options.maxBatchSize ?? 10,
          headers: () => ({ ...options.headers, authorization: `Bearer ${token}` }),
        }),
      }),
    ],
  });
}

export type TDharmaClient = ReturnType<typeof createClient>;

/** True for an error the server answered (as opposed to a network failure), with its tRPC code. */
export function isApiError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}
