import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { summariseRecord } from '../../lib/format';
import { EmptyState } from '../ui/states';

function Pairs({ record, testId }: { record: Record<string, unknown> | undefined; testId?: string }) {
  const pairs = summariseRecord(record);
  if (pairs.length === 0) return <span className="faint">—</span>;
  return (
    <div data-testid={testId}>
      {pairs.map((p) => (
        <span key={p} className="tag" title={p}>
          {p.length > 60 ? `${p.slice(0, 57)}…` : p}
        </span>
      ))}
    </div>
  );
}

export function ComponentsTable({ graph }: { graph: TBlueprintGraph }) {
  if (graph.components.length === 0) return <EmptyState title="No components">This version has an empty graph.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="components-table">
        <thead>
          <tr>
            <th>Id</th>
            <th>Kind</th>
            <th>Name</th>
            <th>Cloud</th>
            <th>Region</th>
            <th>Properties</th>
            <th>Tags</th>
          </tr>
        </thead>
        <tbody>
          {graph.components.map((c) => (
            <tr key={c.id} data-testid={`component-row-${c.id}`}>
              <td>
                <code>{c.id}</code>
              </td>
              <td className="nowrap">{c.kind}</td>
              <td>{c.name}</td>
              <td>{c.cloud.toUpperCase()}</td>
              <td className="nowrap">{c.region}</td>
              <td style={{ maxWidth: 420 }}>
                <Pairs record={c.properties} testId={`component-props-${c.id}`} />
              </td>
              <td style={{ maxWidth: 280 }}>
                <Pairs record={c.tags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RelationsTable({ graph }: { graph: TBlueprintGraph }) {
  if (graph.relations.length === 0) return <EmptyState title="No relations">No component depends on, connects to or contains another.</EmptyState>;
  const names = new Map(graph.components.map((c) => [c.id, c.name]));
  return (
    <div className="table-wrap">
      <table className="table" data-testid="relations-table">
        <thead>
          <tr>
            <th>From</th>
            <th />
            <th>To</th>
            <th>Type</th>
            <th>Properties</th>
          </tr>
        </thead>
        <tbody>
          {graph.relations.map((r) => (
            <tr key={`${r.from}→${r.to}:${r.type}`} data-testid="relation-row">
              <td>
                <code>{r.from}</code> <span className="muted small">{names.get(r.from)}</span>
              </td>
              <td className="muted">→</td>
              <td>
                <code>{r.to}</code> <span className="muted small">{names.get(r.to)}</span>
              </td>
              <td>
                <span className="badge">{r.type}</span>
              </td>
              <td>{Object.keys(r.properties ?? {}).length === 0 ? <span className="faint">—</span> : <Pairs record={r.properties} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

