import 'server-only';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@dharma/services/routers/app.router';
import type { ReactNode } from 'react';
import { cache } from 'react';
import { env } from '../../env';
import { signInternalToken } from '@dharma/auth/token';
import { readToken } from '../session';
import { makeQueryClient } from './query-client';

/** One QueryClient per server request (React's `cache` is request-scoped). */
export const getQueryClient = cache(() => makeQueryClient());

function client(token: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${env.SERVICES_URL}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        fetch: (url, init) =>
          fetch(url, { ...init, cache: 'no-store' }).catch((error: unknown) => {
            const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
            throw new Error(`the services at ${env.SERVICES_URL} did not answer (${cause})`);
          }),
      }),
    ],
  });
}

/** A typed services client carrying the signed-in user's token, for Server Components and Server Actions. */
export const getServerClient = cache(async () => client(await readToken()));

/** A client without a token, for the public procedures (development sign-in). */
export const getPublicClient = () => client(null);

/** A client carrying a given services token (the session's, when renewing it). */
export const clientWithToken = (token: string) => client(token);

/** The console server itself, for the services' internal sign-in procedures (an OIDC client's secret, SAML logout). */
export const internalClient = () => client(signInternalToken(env.AUTH_SECRET));

/** Query options for prefetching on the server; the keys match those `useTRPC()` builds in the browser. */
export const getServerTRPC = cache(async () => createTRPCOptionsProxy<AppRouter>({ client: await getServerClient(), queryClient: getQueryClient }));

/** Sends what this request prefetched to the browser's QueryClient. Only successful queries are sent. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
