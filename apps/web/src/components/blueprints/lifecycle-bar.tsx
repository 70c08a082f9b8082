'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can, type TPermissionLike } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { MutationError } from '../ui/states';

const ACTION_LABELS: Record<string, string> = {
  'blueprint.create': 'Created',
  'blueprint.save_version': 'Saved a version',
  'blueprint.update': 'Renamed or described',
  'blueprint.request_review': 'Asked for review',
  'blueprint.approve': 'Approved',
  'blueprint.reject': 'Rejected',
  'blueprint.deprecate': 'Deprecated',
  'blueprint.archive': 'Archived',
  'blueprint.restore': 'Restored',
};

/**
 * Where the blueprint is in its lifecycle and what the caller may do next: ask for review of the current version,
 * approve or reject the version under review (with a comment; approval is refused while guardrails or validation
 * fail), deprecate. The approved version stays the delivered one while newer versions are drafts.
 */
export function LifecycleBar({ blueprintId, permissions, editable, archived }: { blueprintId: string; permissions: readonly TPermissionLike[]; editable: boolean; archived: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const life = useQuery(trpc.blueprints.lifecycle.queryOptions({ id: blueprintId }));
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() }), qc.invalidateQueries({ queryKey: trpc.guardrails.pathKey() })]);
  const [comment, setComment] = useState('');
  const request = useMutation(trpc.blueprints.requestReview.mutationOptions({ onSuccess: refresh }));
  const decide = useMutation(trpc.blueprints.decideReview.mutationOptions({ onSuccess: async () => { setComment(''); await refresh(); } }));
  const deprecate = useMutation(trpc.blueprints.deprecate.mutationOptions({ onSuccess: async () => { setComment(''); await refresh(); } }));
  if (!life.data) return null;
  const l = life.data;
  const reviewer = can(permissions, 'approval', 'approve');
  const manager = can(permissions, 'blueprint', 'manage');

  return (
    <div className="card card-body stack" data-testid="lifecycle">
      <div className="row">
        <span>
          Lifecycle: <strong data-testid="lifecycle-status">{l.status}</strong>
          {l.reviewVersion !== null && <> · version {l.reviewVersion} under review</>}
          {l.approvedVersion !== null && <span data-testid="lifecycle-approved"> · approved version v{l.approvedVersion}{l.approvedVersion !== l.currentVersion ? ' (the one delivered; newer versions are drafts)' : ''}</span>}
        </span>
        <div className="spacer" />
        {!archived && l.status === 'draft' && editable && (
          <button type="button" className="btn" disabled={request.isPending} onClick={() => request.mutate({ id: blueprintId, version: l.currentVersion, comment })} data-testid="lifecycle-request">
            Request review of v{l.currentVersion}
          </button>
        )}
        {l.status === 'review' && reviewer && (
          <>
            <button type="button" className="btn btn-primary" disabled={decide.isPending} onClick={() => decide.mutate({ id: blueprintId, decision: 'approve', comment })} data-testid="lifecycle-approve">Approve v{l.reviewVersion}</button>
            <button type="button" className="btn" disabled={decide.isPending} onClick={() => decide.mutate({ id: blueprintId, decision: 'reject', comment })} data-testid="lifecycle-reject">Reject</button>
          </>
        )}
        {l.status !== 'deprecated' && manager && (
          <button type="button" className="btn btn-danger" disabled={deprecate.isPending} onClick={() => deprecate.mutate({ id: blueprintId, comment })} data-testid="lifecycle-deprecate">Deprecate</button>
        )}
      </div>
      {(l.status === 'draft' && editable) || (l.status === 'review' && reviewer) || manager ? (
        <input className="input" placeholder="Comment (required to reject or deprecate)" value={comment} onChange={(e) => setComment(e.target.value)} data-testid="lifecycle-comment" />
      ) : null}
      <MutationError mutations={[request, decide, deprecate]} testId="lifecycle-error" />
    </div>
  );
}

/** The blueprint's history: every change and transition, newest first, from the audit log. */
export function HistoryList({ blueprintId }: { blueprintId: string }) {
  const trpc = useTRPC();
  const life = useQuery(trpc.blueprints.lifecycle.queryOptions({ id: blueprintId }));
  if (!life.data) return null;
  return (
    <table className="table" data-testid="history">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {life.data.history.map((h, i) => {
          const after = (h.after ?? {}) as { version?: number; comment?: string; score?: number; status?: string };
          return (
            <tr key={i} data-testid="history-row" data-action={h.action}>
              <td className="small nowrap">{new Date(h.at).toLocaleString()}</td>
              <td>{h.actorLabel}</td>
              <td>{ACTION_LABELS[h.action] ?? h.action}{after.version !== undefined ? ` (v${after.version})` : ''}</td>
              <td className="small muted">{[after.comment, after.score !== undefined ? `guardrail score ${after.score}` : null].filter(Boolean).join(' · ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
