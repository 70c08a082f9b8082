'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, SkeletonBlock } from '../ui/states';
import { Recommendations } from './recommendations';
import { formatUsd, formatUnitPrice } from '../../lib/format';

const STATUS_BADGE = { priced: 'badge-ok', partial: 'badge-review', free: 'badge-draft', unpriced: 'badge-bad' } as const;

/**
 * A version's cost: monthly, hourly and yearly totals, a breakdown by category, every component's lines, what could
 * not be priced and why, and the change from another version, per component.
 */
export function CostPanel({ blueprintId, versions, current, editable }: { blueprintId: string; versions: number[]; current: number; editable: boolean }) {
  const trpc = useTRPC();
  const [compareTo, setCompareTo] = useState<number | null>(versions.includes(current - 1) ? current - 1 : null);
  const estimate = useQuery(trpc.costing.estimate.queryOptions({ id: blueprintId, number: current }));
  const budget = useQuery(trpc.costing.budgetOf.queryOptions({ id: blueprintId, number: current }));
  const diff = useQuery({ ...trpc.costing.diff.queryOptions({ id: blueprintId, from: compareTo ?? 1, to: current }), enabled: compareTo !== null });
  if (estimate.isError) return <div className="card-body"><ErrorState error={estimate.error} title="Could not estimate the cost" /></div>;
  if (estimate.isPending) return <div className="card-body"><SkeletonBlock /></div>;
  const e = estimate.data;
  const categories = Object.entries(e.byCategory).map(([category, monthly]) => ({ category, monthly }));

  return (
    <div className="stack card-body">
      <div className="stats">
        <div className="stat"><div className="stat-label">Monthly</div><div className="stat-value" data-testid="cost-monthly">{formatUsd(e.monthly)}</div></div>
        <div className="stat"><div className="stat-label">Hourly</div><div className="stat-value">{formatUsd(e.hourly)}</div></div>
        <div className="stat"><div className="stat-label">Yearly</div><div className="stat-value">{formatUsd(e.yearly)}</div></div>
        <div className="stat"><div className="stat-label">Priced</div><div className="stat-value" data-testid="cost-coverage">{e.coverage.priced + e.coverage.partial + e.coverage.free} / {e.coverage.total}</div></div>
      </div>
      {budget.data && (
        <div className={`alert ${budget.data.level === 'alert' ? 'alert-error' : budget.data.level === 'warn' ? 'alert-warning' : 'alert-info'}`} data-testid="cost-budget">
          Project {budget.data.projectName}: {formatUsd(budget.data.projected)} a month with this version, of a {formatUsd(budget.data.amount)} budget ({budget.data.usePercent ?? '—'}%)
          {budget.data.level === 'alert' ? ': past the budget, so this version cannot be approved.' : budget.data.level === 'warn' ? `: past the ${budget.data.warnPercent}% warning.` : '.'}
        </div>
      )}
      {e.coverage.missing.length > 0 && (
        <div className="alert alert-warning" data-testid="cost-missing">
          Not in the total: {e.coverage.missing.map((m) => `${m.componentId} (${m.reason})`).join('; ')}.
        </div>
      )}
      <div className="grid-2">
        <div>
          <h3>By category (monthly)</h3>
          <div className="chart-box" data-testid="cost-categories">
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={categories}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="category" />
                <YAxis />
                <Tooltip formatter={(v) => formatUsd(Number(v))} />
                <Bar dataKey="monthly" fill="#2563eb" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </div>
        <div>
          <h3>
            Change from{' '}
            <select className="select" value={compareTo ?? ''} onChange={(ev) => setCompareTo(ev.target.value === '' ? null : Number(ev.target.value))} data-testid="cost-compare">
              <option value="">—</option>
              {versions.filter((v) => v !== current).map((v) => <option key={v} value={v}>v{v}</option>)}
            </select>
          </h3>
          {diff.data && (
            <>
              <div data-testid="cost-change">{diff.data.change === 0 ? 'No change' : `${diff.data.change > 0 ? '+' : ''}${formatUsd(diff.data.change)} a month`} ({formatUsd(diff.data.monthlyBefore)} → {formatUsd(diff.data.monthlyAfter)})</div>
              <div className="chart-box">
                <ResponsiveContainer width="100%" height={170}>
                  <BarChart data={diff.data.components} layout="vertical">
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis type="number" />
                    <YAxis type="category" dataKey="componentId" width={110} />
                    <Tooltip formatter={(v) => formatUsd(Number(v))} />
                    <Bar dataKey="change" isAnimationActive={false}>
                      {diff.data.components.map((c) => <Cell key={c.componentId} fill={c.change > 0 ? '#dc2626' : '#16a34a'} />)}
                    </Bar>
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </>
          )}
        </div>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="cost-components">
          <thead>
            <tr>
              <th>Component</th>
              <th>Status</th>
              <th>Lines</th>
              <th className="num">Monthly</th>
            </tr>
          </thead>
          <tbody>
            {e.components.map((c) => (
              <tr key={c.componentId} data-testid="cost-component" data-id={c.componentId}>
                <td className="mono small">{c.componentId}<br /><span className="faint">{c.kind} · {c.region}</span></td>
                <td><span className={`badge ${STATUS_BADGE[c.status]}`}>{c.status}</span></td>
                <td className="small">
                  {c.lines.map((l) => <div key={l.sku}>{l.description}: {l.quantity.toLocaleString()} {l.unit} × {formatUnitPrice(l.unitPrice)} = {formatUsd(l.monthly)}</div>)}
                  {c.notes.map((n) => <div key={n} className="muted">{n}</div>)}
                </td>
                <td className="num">{formatUsd(c.monthly)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Recommendations blueprintId={blueprintId} version={current} editable={editable} />
      <div className="faint small">Prices: {e.priceBook} (public on-demand list prices, USD).</div>
    </div>
  );
}
