import type { Metadata } from 'next';
import { DesignBlueprint } from '../../../../../components/designer/design-blueprint';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../../../lib/trpc/server';

export const metadata: Metadata = { title: 'Designer' };

export default async function DesignBlueprintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const trpc = await getServerTRPC();
  await getQueryClient().prefetchQuery(trpc.blueprints.byId.queryOptions({ id }));
  return (
    <HydrateClient>
      <DesignBlueprint id={id} />
    </HydrateClient>
  );
}
