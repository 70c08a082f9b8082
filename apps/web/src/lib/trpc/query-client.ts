import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isClientError } from '../errors';

/** One factory for the server (per request) and the browser (once), so both agree on staleness and retries. */
export function makeQueryClient(onError?: (error: unknown) => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (e) => onError?.(e) }),
    mutationCache: new MutationCache({ onError: (e) => onError?.(e) }),
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh when it arrives; refetching it at once would double every load.
        staleTime: 15_000,
        retry: (failures, error) => !isClientError(error) && failures < 1,
        refetchOnWindowFocus: false,
      },
    },
  });
}
