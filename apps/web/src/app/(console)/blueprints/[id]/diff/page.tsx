import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DiffView } from '../../../../../components/blueprints/diff-view';
import { diffVersions, readVersionParam } from '../../../../../lib/diff-params';
import type { TSearchParams } from '../../../../../lib/list-params';
import { getQueryClient, getServerTRPC, HydrateClient } from '../../../../../lib/trpc/server';

export const metadata: Metadata = { title: 'Compare versions' };

export default async function DiffPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<TSearchParams> }) {
  const { id } = await params;
  const query = await searchParams;
  const from = readVersionParam(query, 'from');
  const to = readVersionParam(query, 'to');
  const trpc = await getServerTRPC();
  const qc = getQueryClient();
  const [bp] = await Promise.all([
    qc.fetchQuery(trpc.blueprints.byId.queryOptions({ id })).catch(() => null),
    qc.prefetchQuery(trpc.blueprints.versions.queryOptions({ id })),
  ]);
  if (bp) await qc.prefetchQuery(trpc.blueprints.diff.queryOptions({ id, ...diffVersions(from, to, bp.currentVersion) }));
  return (
    <HydrateClient>
      <Suspense>
        <DiffView id={id} from={from} to={to} />
      </Suspense>
    </HydrateClient>
  );
}
