import type { Metadata } from 'next';
import { SystemPanels } from '../../../components/system/system-panels';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../lib/trpc/server';

export const metadata: Metadata = { title: 'System' };

export default async function SystemPage() {
  const trpc = await getServerTRPC();
  await getQueryClient().prefetchQuery(trpc.monitoring.system.queryOptions());
  return (
    <HydrateClient>
      <SystemPanels />
    </HydrateClient>
  );
}
