import type { Metadata } from 'next';
import { NewBlueprint } from '../../../../components/blueprints/new-blueprint';
import { COPY_SOURCES_INPUT } from '../../../../lib/list-params';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../../lib/trpc/server';

export const metadata: Metadata = { title: 'New blueprint' };

export default async function NewBlueprintPage() {
  const trpc = await getServerTRPC();
  const qc = getQueryClient();
  await Promise.all([qc.prefetchQuery(trpc.projects.list.queryOptions()), qc.prefetchQuery(trpc.blueprints.list.queryOptions(COPY_SOURCES_INPUT))]);
  return (
    <HydrateClient>
      <NewBlueprint />
    </HydrateClient>
  );
}
