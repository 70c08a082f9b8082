import type { ReactNode } from 'react';
import { toApiError } from '../../lib/errors';

/** A failed call, with the server's own message (never a blank page). */
export function ErrorState({ error, title = 'Something went wrong', action }: { error: unknown; title?: string; action?: ReactNode }) {
  const e = toApiError(error);
  return (
    <div className="alert alert-error" role="alert" data-testid="error-state">
      <strong>{title}</strong>
      <div>{e.message}</div>
      {e.issues.length > 1 && (
        <ul>
          {e.issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      <div className="small" style={{ marginTop: 4, opacity: 0.8 }}>
        {e.code}
        {e.httpStatus ? ` · HTTP ${e.httpStatus}` : ''}
      </div>
      {action && <div style={{ marginTop: 8 }}>{action}</div>}
    </div>
  );
}

/** The first failure among a form's mutations, with the server's message (which names the field and the reason). */
export function MutationError({ mutations, testId }: { mutations: readonly { isError: boolean; error: unknown }[]; testId: string }) {
  const failed = mutations.find((m) => m.isError);
  if (!failed) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      {toApiError(failed.error).message}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function NotFoundState({ what = 'Blueprint' }: { what?: string }) {
  return (
    <div className="card">
      <div className="state" data-testid="not-found">
        <h2>{what} not found</h2>
        <p>It does not exist, or it belongs to another tenant.</p>
        <a href="/blueprints">Back to blueprints</a>
      </div>
    </div>
  );
}

export function SkeletonRows({ rows = 6, cols = 6 }: { rows?: number; cols?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} data-testid="skeleton-row">
          {Array.from({ length: cols }, (_, c) => (
            <td key={c}>
              <span className="skeleton" style={{ width: `${50 + ((r * 7 + c * 13) % 45)}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

export function SkeletonBlock({ lines = 4 }: { lines?: number }) {
  return (
    <div className="stack" style={{ gap: 10 }} data-testid="loading">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton" style={{ width: `${90 - i * 12}%` }} />
      ))}
    </div>
  );
}
