'use client';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { isMissing } from '../../lib/errors';
import { canEditBlueprint } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { BlueprintHeader } from '../blueprints/blueprint-header';
import { useSessionUser } from '../shell/session-context';
import { ErrorState, NotFoundState, SkeletonBlock } from '../ui/states';

// The canvas measures the browser's layout: rendered in the browser only.
const Designer = dynamic(() => import('./designer').then((m) => m.Designer), { ssr: false, loading: () => <SkeletonBlock lines={10} /> });

/** The designer page: the blueprint's current version on the canvas, for those who may edit it. */
export function DesignBlueprint({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useSessionUser();
  const bp = useQuery(trpc.blueprints.byId.queryOptions({ id }));
  if (bp.isPending) return <SkeletonBlock lines={8} />;
  if (bp.isError) return isMissing(bp.error) ? <NotFoundState /> : <ErrorState error={bp.error} title="Could not load the blueprint" />;
  const b = bp.data;
  const editable = !b.archivedAt && canEditBlueprint(user.permissions, user.id, b.createdBy);
  return (
    <div className="stack">
      <BlueprintHeader blueprint={b} crumb="Designer" />
      {editable ? <Designer blueprint={b} /> : <div className="alert alert-warning" data-testid="no-edit-permission">{b.archivedAt ? 'Archived blueprints cannot be edited. Restore it first.' : 'Your roles do not allow editing this blueprint.'}</div>}
    </div>
  );
}
