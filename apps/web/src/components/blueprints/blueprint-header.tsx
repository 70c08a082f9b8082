import Link from 'next/link';
import type { ReactNode } from 'react';
import type { TBlueprintDetail } from '../../lib/api-types';
import { formatDate, shortHash } from '../../lib/format';
import { CloudBadge, StatusBadge } from '../ui/badges';

/** Name, badges and the facts every blueprint page repeats; `actions` go on the right. */
export function BlueprintHeader({ blueprint: b, actions, crumb }: { blueprint: TBlueprintDetail; actions?: ReactNode; crumb?: string }) {
  return (
    <div className="stack" style={{ gap: 10 }}>
      <div className="muted small">
        <Link href="/blueprints">Blueprints</Link>
        {' / '}
        {crumb ? <Link href={`/blueprints/${b.id}`}>{b.name}</Link> : <span>{b.name}</span>}
        {crumb && ` / ${crumb}`}
      </div>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <div>
          <div className="row">
            <h1 data-testid="blueprint-name">{b.name}</h1>
            <StatusBadge status={b.status} />
            <CloudBadge cloud={b.cloud} />
            {b.archivedAt && <span className="badge badge-archived">archived</span>}
          </div>
          {b.description && <div className="subtitle">{b.description}</div>}
          <div className="meta">
            <span>
              Project <strong data-testid="blueprint-project">{b.projectName}</strong>
            </span>
            <span>
              Version <strong data-testid="current-version">v{b.currentVersion}</strong>
            </span>
            <span title={b.graphHash}>
              Hash <code data-testid="graph-hash">{shortHash(b.graphHash)}</code>
            </span>
            <span>
              Author <strong>{b.createdByName ?? '—'}</strong>
            </span>
            <span>Updated {formatDate(b.updatedAt)}</span>
          </div>
        </div>
        {actions && <div className="row">{actions}</div>}
      </div>
      {b.archivedAt && (
        <div className="alert alert-warning" data-testid="archived-banner">
          This blueprint was archived on {formatDate(b.archivedAt)}. It is read-only and hidden from the live list until it is restored.
        </div>
      )}
    </div>
  );
}
