'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { isMissing } from '../../lib/errors';
import { can, canArchiveBlueprint, canEditBlueprint } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { CostPanel } from '../costing/cost-panel';
import { GuardrailsPanel } from '../guardrails/guardrails-panel';
import { CodePanel } from '../iac/code-panel';
import { ValidationPanel } from '../iac/validation-panel';
import { useSessionUser } from '../shell/session-context';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorState, NotFoundState, SkeletonBlock } from '../ui/states';
import { BlueprintHeader } from './blueprint-header';
import { ComponentsTable, RelationsTable } from './graph-tables';
import { HistoryList, LifecycleBar } from './lifecycle-bar';
import { VersionsTable } from './versions-table';

const TABS = ['components', 'relations', 'versions', 'validation', 'guardrails', 'cost', 'code', 'history'] as const;
type TTab = (typeof TABS)[number];

export function BlueprintDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const params = useSearchParams();
  const user = useSessionUser();
  const bp = useQuery(trpc.blueprints.byId.queryOptions({ id }));
  const versions = useQuery(trpc.blueprints.versions.queryOptions({ id }));
  const [confirming, setConfirming] = useState<'archive' | 'restore' | null>(null);

  const tabParam = params.get('tab');
  const tab: TTab = TABS.find((t) => t === tabParam) ?? 'components';
  const setTab = (t: TTab) => router.replace(`/blueprints/${id}${t === 'components' ? '' : `?tab=${t}`}`, { scroll: false });
  const saved = params.get('saved');
  const updated = params.get('updated');

  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() });
  const archive = useMutation(trpc.blueprints.archive.mutationOptions({ onSuccess: async () => { setConfirming(null); await invalidate(); } }));
  const restore = useMutation(trpc.blueprints.restore.mutationOptions({ onSuccess: async () => { setConfirming(null); await invalidate(); } }));
  const mutation = confirming === 'restore' ? restore : archive;

  if (bp.isPending) return <div className="card card-body"><SkeletonBlock lines={6} /></div>;
  if (bp.isError) {
    if (isMissing(bp.error)) return <NotFoundState />;
    return <ErrorState error={bp.error} title="Could not load the blueprint" action={<button className="btn btn-sm" onClick={() => void bp.refetch()}>Retry</button>} />;
  }
  const b = bp.data;
  const graph = b.graph;
  const editable = !b.archivedAt && canEditBlueprint(user.permissions, user.id, b.createdBy);
  const archivable = canArchiveBlueprint(user.permissions, user.id, b.createdBy);

  return (
    <div className="stack">
      <BlueprintHeader
        blueprint={b}
        actions={
          <>
            {editable && (
              <Link href={`/blueprints/${id}/design`} className="btn" data-testid="design-blueprint">
                Designer
              </Link>
            )}
            {editable && (
              <Link href={`/blueprints/${id}/edit`} className="btn btn-primary" data-testid="edit-blueprint">
                Edit
              </Link>
            )}
            {archivable && !b.archivedAt && (
              <button type="button" className="btn btn-danger" data-testid="archive-blueprint" onClick={() => setConfirming('archive')}>
                Archive
              </button>
            )}
            {archivable && b.archivedAt && (
              <button type="button" className="btn" data-testid="restore-blueprint" onClick={() => setConfirming('restore')}>
                Restore
              </button>
            )}
          </>
        }
      />

      {saved && Number(saved) === b.currentVersion && (
        <div className="alert alert-success" data-testid="saved-notice">
          Saved version {saved}.
        </div>
      )}
      {updated && Number(updated) === b.currentVersion && (
        <div className="alert alert-success" data-testid="updated-notice">
          Saved the name and description. The design did not change, so it is still version {updated}.
        </div>
      )}

      <LifecycleBar blueprintId={id} permissions={user.permissions} editable={editable} archived={Boolean(b.archivedAt)} />

      <div className="card">
        <div className="tabs" role="tablist">
          {TABS.filter((t) => (t !== 'code' || can(user.permissions, 'iac', 'read')) && (t !== 'guardrails' || can(user.permissions, 'guardrail', 'read')) && (t !== 'cost' || can(user.permissions, 'costing', 'read'))).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`tab${tab === t ? ' active' : ''}`}
              data-testid={`tab-${t}`}
              onClick={() => setTab(t)}
            >
              {t[0]!.toUpperCase() + t.slice(1)}
              {(t === 'components' || t === 'relations' || t === 'versions') && (
                <span className="count">
                  {t === 'components' ? graph.components.length : t === 'relations' ? graph.relations.length : (versions.data?.length ?? '…')}
                </span>
              )}
            </button>
          ))}
        </div>
        <div className="card-body flush">
          {tab === 'components' && <ComponentsTable graph={graph} />}
          {tab === 'relations' && <RelationsTable graph={graph} />}
          {tab === 'validation' && <ValidationPanel blueprintId={id} version={b.currentVersion} editable={editable} />}
          {tab === 'history' && <HistoryList blueprintId={id} />}
          {tab === 'cost' && <CostPanel blueprintId={id} versions={versions.data?.map((v) => v.number) ?? [b.currentVersion]} current={b.currentVersion} editable={editable} />}
          {tab === 'guardrails' && <GuardrailsPanel blueprintId={id} version={b.currentVersion} permissions={user.permissions} canRequest={editable} />}
          {tab === 'code' && <CodePanel blueprintId={id} versions={versions.data?.map((v) => v.number) ?? [b.currentVersion]} current={b.currentVersion} />}
          {tab === 'versions' &&
            (versions.isError ? (
              <div className="card-body">
                <ErrorState error={versions.error} title="Could not load versions" />
              </div>
            ) : versions.isPending ? (
              <div className="card-body">
                <SkeletonBlock />
              </div>
            ) : (
              <VersionsTable blueprintId={id} versions={versions.data} current={b.currentVersion} />
            ))}
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={confirming === 'archive' ? `Archive “${b.name}”?` : `Restore “${b.name}”?`}
          confirmLabel={confirming === 'archive' ? 'Archive' : 'Restore'}
          danger={confirming === 'archive'}
          busy={mutation.isPending}
          onCancel={() => {
            mutation.reset();
            setConfirming(null);
          }}
          onConfirm={() => mutation.mutate({ id })}
        >
          <p>
            {confirming === 'archive'
              ? 'It disappears from the live list and can no longer be edited. Its versions are kept, and you can restore it later.'
              : 'It returns to the live list and can be edited again.'}
          </p>
          {mutation.isError && <ErrorState error={mutation.error} title="The change was not made" />}
        </ConfirmDialog>
      )}
    </div>
  );
}
