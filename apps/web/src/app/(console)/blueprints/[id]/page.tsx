import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BlueprintDetail } from '../../../../components/blueprints/blueprint-detail';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../../lib/trpc/server';

export const metadata: Metadata = { title: 'Blueprint' };

export default async function BlueprintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const trpc = await getServerTRPC();
  const qc = getQueryClient();
  await Promise.all([qc.prefetchQuery(trpc.blueprints.byId.queryOptions({ id })), qc.prefetchQuery(trpc.blueprints.versions.queryOptions({ id }))]);
  return (
    <HydrateClient>
      <Suspense>
        <BlueprintDetail id={id} />
      </Suspense>
    </HydrateClient>
  );
}
