import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@dharma/services/routers/app.router';

export type { AppRouter };

export interface TClientOptions {
  /** Extra headers on every request, for example a request id. */
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Procedures per batched HTTP request; 1 disables batching. */
  maxBatchSize?: number;
}

/**
 * The typed IaC Dharma client: `createClient('http://localhost:4000', token).blueprints.list.query({...})`.
 * `url` is the services' base URL (the `/trpc` path is added); `token` is an access token from `npm run token`.
 */
export function createClient(url: string, token: string, options: TClientOptions = {}) {
  const base = url.replace(/\/+$/, '');
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: base.endsWith('/trpc') ? base : `${base}/trpc`,
        maxItems: options.maxBatchSize ?? 10,
        headers: () => ({ ...options.headers, authorization: `Bearer ${token}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type TDharmaClient = ReturnType<typeof createClient>;

/** True for an error the server answered (as opposed to a network failure), with its tRPC code. */
export function isApiError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}
