import type { Metadata } from 'next';
import { SystemPanels } from '../../../components/system/system-panels';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../lib/trpc/server';

export const metadata: Metadata = { title: 'System' };

export default async function SystemPage() {
  const trpc = await getServerTRPC();
  const qc = getQueryClient();
  // A refused part is not prefetched into the page (only successes are sent); the browser asks and shows why.
  await Promise.all([qc.prefetchQuery(trpc.monitoring.tenant.queryOptions()), qc.prefetchQuery(trpc.monitoring.system.queryOptions())]);
  return (
    <HydrateClient>
      <SystemPanels />
    </HydrateClient>
  );
}
