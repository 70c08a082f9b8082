'use client';
import type { QueryClient } from '@tanstack/react-query';
import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type Operation } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@dharma/services/routers/app.router';
import { useState, type ReactNode } from 'react';
import { errorCode } from '../errors';
import { IDEMPOTENCY_HEADER } from '../idempotency';
import { makeQueryClient } from './query-client';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** An expired or revoked token ends the session: clear the cookie and go to sign-in, once. */
let leaving = false;
function onApiError(error: unknown) {
  if (leaving || typeof window === 'undefined' || errorCode(error) !== 'UNAUTHORIZED') return;
  leaving = true;
  window.location.assign(`/api/session/expired?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  // On the server every render gets its own client; in the browser one client lives for the page's lifetime.
  if (typeof window === 'undefined') return makeQueryClient();
  browserQueryClient ??= makeQueryClient(onApiError);
  return browserQueryClient;
}

/** What a mutation may pass as `{ context }` to its link: the idempotency key of the submission attempt. */
export interface TMutationContext {
  idempotencyKey?: string;
}

/** Long enough for a slow save under load; short enough that a user is not left waiting on a lost request. */
const MUTATION_TIMEOUT_MS = 30_000;

/**
 * Request options for a creating mutation: its submission's idempotency key, and a timeout after which the user
 * can retry (with the same key).
 */
export const keyedMutation = (idempotencyKey: string) => ({
  context: { idempotencyKey } satisfies TMutationContext,
  signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS),
});

function mutationHeaders({ op }: { op: Operation }): Record<string, string> {
  const key = (op.context as TMutationContext).idempotencyKey;
  return typeof key === 'string' ? { [IDEMPOTENCY_HEADER]: key } : {};
}

/**
 * Queries are batched; mutations go one per request through `httpLink`, so each carries its own headers (a batch
 * has one set of headers for all its operations, and an idempotency key belongs to one submission).
 */
function createClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'mutation',
        true: httpLink({ url: '/api/trpc', headers: mutationHeaders }),
        false: httpBatchLink({ url: '/api/trpc', maxItems: 10 }),
      }),
    ],
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(createClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
