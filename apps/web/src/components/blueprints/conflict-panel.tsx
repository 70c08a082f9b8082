'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TBlueprintDetail } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc/client';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorState, SkeletonBlock } from '../ui/states';
import { DiffBody } from './diff-view';

/**
 * Shown when a save was refused because someone saved a newer version meanwhile: what changed between the version
 * the user started from and the newest, and two deliberate ways on. Nothing of the user's is dropped until they
 * choose to discard it.
 */
export function ConflictPanel({
  blueprintId, baseVersion, latest, loadingLatest, onReloadLatest, onApply, onDiscard,
}: {
  blueprintId: string;
  baseVersion: number;
  /** The blueprint as last fetched; its version is newer than `baseVersion` once the refetch after the conflict lands. */
  latest: TBlueprintDetail;
  loadingLatest: boolean;
  onReloadLatest: () => void;
  onApply: (latest: TBlueprintDetail) => void;
  onDiscard: (latest: TBlueprintDetail) => void;
}) {
  const trpc = useTRPC();
  const ready = latest.currentVersion > baseVersion;
  const diff = useQuery(trpc.blueprints.diff.queryOptions(ready ? { id: blueprintId, from: baseVersion, to: latest.currentVersion } : skipToken));
  const [confirming, setConfirming] = useState(false);
  const v = latest.currentVersion;

  return (
    <section className="alert alert-warning stack conflict-panel" role="alert" data-testid="conflict" style={{ gap: 10 }}>
      <div>
        <strong>{ready ? `Someone saved version ${v} while you were editing.` : 'Someone saved a newer version while you were editing.'}</strong>{' '}
        Nothing was saved, and your edits are still here. You started from v{baseVersion}
        {ready ? `; this is what changed between v${baseVersion} and v${v}:` : '.'}
      </div>
      {!ready ? (
        <div className="row">
          <span className="muted small">{loadingLatest ? 'Loading the newest version…' : 'The newest version has not arrived yet.'}</span>
          {!loadingLatest && (
            <button type="button" className="btn btn-sm" onClick={onReloadLatest} data-testid="conflict-load-latest">
              Load it
            </button>
          )}
        </div>
      ) : diff.isPending ? (
        <SkeletonBlock lines={3} />
      ) : diff.isError ? (
        <ErrorState error={diff.error} title={`Could not compare v${baseVersion} with v${v}`} />
      ) : (
        <div className="card card-body conflict-diff" data-testid="conflict-diff">
          <DiffBody result={diff.data} />
        </div>
      )}
      {ready && (
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => onApply(latest)} data-testid="conflict-apply">
            Apply my edits on top of v{v}
          </button>
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)} data-testid="conflict-discard">
            Discard my edits and load v{v}
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Discard your edits and load v${v}?`}
          confirmLabel="Discard my edits"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onDiscard(latest);
          }}
        >
          <p>The form is replaced by version {v} as saved. What you changed here is lost.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
