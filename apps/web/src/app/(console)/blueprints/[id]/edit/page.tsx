import type { Metadata } from 'next';
import { EditBlueprint } from '../../../../../components/blueprints/edit-blueprint';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../../../lib/trpc/server';

export const metadata: Metadata = { title: 'Edit blueprint' };

export default async function EditBlueprintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const trpc = await getServerTRPC();
  await getQueryClient().prefetchQuery(trpc.blueprints.byId.queryOptions({ id }));
  return (
    <HydrateClient>
      <EditBlueprint id={id} />
    </HydrateClient>
  );
}
