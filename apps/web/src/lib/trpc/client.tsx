'use client';
import type { QueryClient } from '@tanstack/react-query';
import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@dharma/services/routers/app.router';
import { useState, type ReactNode } from 'react';
import { errorCode } from '../errors';
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

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', maxItems: 10 })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
