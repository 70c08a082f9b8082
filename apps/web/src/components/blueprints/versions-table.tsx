'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TVersionSummary } from '../../lib/api-types';
import { announceNavigation } from '../../lib/navigation-events';
import { formatDate, shortHash } from '../../lib/format';

/** Pick two versions, then Compare opens the diff from the older to the newer. */
export function VersionsTable({ blueprintId, versions, current }: { blueprintId: string; versions: TVersionSummary[]; current: number }) {
  const router = useRouter();
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (n: number) =>
    setPicked((p) => (p.includes(n) ? p.filter((x) => x !== n) : [...p, n].slice(-2)));
  const [from, to] = [...picked].sort((a, b) => a - b);

  return (
    <div>
      <div className="filters">
        <span className="muted small">{picked.length < 2 ? `Select two versions to compare (${picked.length}/2).` : `Compare v${from} → v${to}.`}</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-sm btn-primary"
          data-testid="compare-versions"
          disabled={picked.length !== 2}
          onClick={() => {
            announceNavigation();
            router.push(`/blueprints/${blueprintId}/diff?from=${from}&to=${to}`);
          }}
        >
          Compare
        </button>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="versions-table">
          <thead>
            <tr>
              <th style={{ width: 32 }} />
              <th>Version</th>
              <th>Message</th>
              <th>Author</th>
              <th>Date</th>
              <th className="num">Components</th>
              <th className="num">Relations</th>
              <th>Hash</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.number} data-testid={`version-row-${v.number}`}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select version ${v.number}`}
                    data-testid={`pick-version-${v.number}`}
                    checked={picked.includes(v.number)}
                    onChange={() => toggle(v.number)}
                  />
                </td>
                <td className="nowrap">
                  <strong>v{v.number}</strong> {v.number === current && <span className="badge badge-ok">current</span>}
                </td>
                <td data-testid="version-message">{v.message}</td>
                <td className="nowrap">{v.authorName ?? '—'}</td>
                <td className="nowrap">{formatDate(v.createdAt)}</td>
                <td className="num">{v.componentCount}</td>
                <td className="num">{v.relationCount}</td>
                <td>
                  <code title={v.graphHash}>{shortHash(v.graphHash)}</code>
                </td>
                <td className="nowrap">
                  {v.parentNumber !== null && (
                    <Link href={`/blueprints/${blueprintId}/diff?from=${v.parentNumber}&to=${v.number}`} className="small">
                      diff with v{v.parentNumber}
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
