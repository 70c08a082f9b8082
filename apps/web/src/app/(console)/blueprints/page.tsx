import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BlueprintList } from '../../../components/blueprints/blueprint-list';
import { readListState, searchParam, toListInput, type TSearchParams } from '../../../lib/list-params';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../lib/trpc/server';

export const metadata: Metadata = { title: 'Blueprints' };

export default async function BlueprintsPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const params = await searchParams;
  const input = toListInput(readListState((k) => searchParam(params, k)));
  const trpc = await getServerTRPC();
  const qc = getQueryClient();
  await Promise.all([qc.prefetchQuery(trpc.blueprints.list.queryOptions(input)), qc.prefetchQuery(trpc.projects.list.queryOptions())]);
  return (
    <HydrateClient>
      <Suspense>
        <BlueprintList />
      </Suspense>
    </HydrateClient>
  );
}
