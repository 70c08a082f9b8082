'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { can } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { useSessionUser } from '../shell/session-context';
import { ErrorState, MutationError, SkeletonRows } from '../ui/states';
import { formatUsd } from '../../lib/format';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Govern -> Costs & budgets: each project's monthly budget against what its designs would cost (a chart), the alerts
 * versions raised, and the tenant's own prices and discounts over the public price book.
 */
export function CostSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSessionUser();
  const manageBudgets = can(user.permissions, 'budget', 'manage');
  const managePrices = can(user.permissions, 'costing', 'manage');
  const projects = useQuery(trpc.projects.list.queryOptions());
  const budgets = useQuery(trpc.costing.budgets.queryOptions(undefined, { retry: false }));
  const alerts = useQuery(trpc.costing.alerts.queryOptions(undefined, { retry: false }));
  const pricing = useQuery(trpc.costing.pricing.queryOptions(undefined, { retry: false }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.costing.pathKey() });
  const saveBudget = useMutation(trpc.costing.saveBudget.mutationOptions({ onSuccess: refresh }));
  const ack = useMutation(trpc.costing.acknowledgeAlert.mutationOptions({ onSuccess: refresh }));
  const savePrice = useMutation(trpc.costing.savePrice.mutationOptions({ onSuccess: refresh }));
  const deletePrice = useMutation(trpc.costing.deletePrice.mutationOptions({ onSuccess: refresh }));
  const saveDiscount = useMutation(trpc.costing.saveDiscount.mutationOptions({ onSuccess: refresh }));
  const deleteDiscount = useMutation(trpc.costing.deleteDiscount.mutationOptions({ onSuccess: refresh }));
  const [budget, setBudget] = useState({ projectId: '', amount: '', warnPercent: '90', alertPercent: '100' });
  const [price, setPrice] = useState({ cloud: 'aws' as 'aws' | 'azure' | 'gcp', region: '', sku: '', unit: 'hour' as 'hour' | 'GB-month' | 'month', price: '', effective: today(), source: '' });
  const [discount, setDiscount] = useState({ cloud: 'aws' as 'aws' | 'azure' | 'gcp', skuPrefix: '', percent: '', note: '' });

  if (budgets.isError) return <ErrorState error={budgets.error} title="Could not load the budgets" />;
  if (budgets.isPending || projects.isPending) return <SkeletonRows rows={4} cols={4} />;
  const burn = (budgets.data ?? []).filter((b) => b.burn).map((b) => ({ project: b.burn!.projectName, projected: b.burn!.projected, budget: b.burn!.amount }));

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Costs &amp; budgets</h1>
          <div className="subtitle">Monthly budgets per project (warn at 90%, alert at 100% by default); a version that would take its project past a threshold raises one alert, and a version past the budget cannot be approved.</div>
        </div>
      </div>
      <MutationError mutations={[saveBudget, ack, savePrice, deletePrice, saveDiscount, deleteDiscount]} testId="cost-settings-error" />

      <div className="card card-body stack">
        <h2>Budget burn</h2>
        {burn.length === 0 ? (
          <div className="muted">No project has a budget yet.</div>
        ) : (
          <div className="chart-box" data-testid="budget-burn">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={burn}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="project" />
                <YAxis />
                <Tooltip formatter={(v) => formatUsd(Number(v))} />
                <Legend />
                <Bar dataKey="projected" name="designs (monthly)" fill="#2563eb" isAnimationActive={false} />
                <Bar dataKey="budget" name="budget" fill="#94a3b8" isAnimationActive={false} />
                <ReferenceLine y={0} stroke="#000" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        <div className="table-wrap"><table className="table" data-testid="budgets">
          <thead>
            <tr><th>Project</th><th className="num">Budget</th><th className="num">Designs</th><th className="num">Used</th><th>Level</th></tr>
          </thead>
          <tbody>
            {(budgets.data ?? []).filter((b) => b.burn).map((b) => (
              <tr key={b.projectId} data-testid="budget" data-project={b.burn!.projectName}>
                <td>{b.burn!.projectName}</td>
                <td className="num">{formatUsd(b.burn!.amount)}</td>
                <td className="num">{formatUsd(b.burn!.projected)}</td>
                <td className="num" data-testid="budget-use">{b.burn!.usePercent === null ? '—' : `${b.burn!.usePercent}%`}</td>
                <td>{b.burn!.level ?? 'within'}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
        {manageBudgets && (
          <form className="row" onSubmit={(e) => { e.preventDefault(); saveBudget.mutate({ projectId: budget.projectId, amount: Number(budget.amount), warnPercent: Number(budget.warnPercent), alertPercent: Number(budget.alertPercent) }); }}>
            <select className="select" value={budget.projectId} onChange={(e) => setBudget({ ...budget, projectId: e.target.value })} data-testid="budget-project" aria-label="Project">
              <option value="">a project…</option>
              {projects.data?.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
            <input className="input" type="number" step="0.01" placeholder="USD a month" value={budget.amount} onChange={(e) => setBudget({ ...budget, amount: e.target.value })} data-testid="budget-amount" aria-label="Monthly budget" />
            <input className="input" type="number" value={budget.warnPercent} onChange={(e) => setBudget({ ...budget, warnPercent: e.target.value })} aria-label="Warn at percent" />
            <input className="input" type="number" value={budget.alertPercent} onChange={(e) => setBudget({ ...budget, alertPercent: e.target.value })} aria-label="Alert at percent" />
            <button type="submit" className="btn btn-primary" data-testid="budget-save">Set budget</button>
          </form>
        )}
      </div>

      <div className="card card-body stack">
        <h2>Alerts</h2>
        {alerts.data && alerts.data.length === 0 && <div className="muted">No alerts.</div>}
        {alerts.data && alerts.data.length > 0 && (
          <div className="table-wrap"><table className="table" data-testid="budget-alerts">
            <thead><tr><th>When</th><th>Project</th><th>Blueprint</th><th>Level</th><th className="num">Projected / budget</th><th /></tr></thead>
            <tbody>
              {alerts.data.map((a) => (
                <tr key={a.id} data-testid="budget-alert" data-level={a.level}>
                  <td className="small">{new Date(a.createdAt).toLocaleString()}</td>
                  <td>{a.projectName}</td>
                  <td>{a.blueprintName} v{a.version}</td>
                  <td><span className={`badge ${a.level === 'alert' ? 'badge-bad' : 'badge-review'}`}>{a.level}</span></td>
                  <td className="num">{formatUsd(a.projected)} / {formatUsd(a.amount)}</td>
                  <td>{a.acknowledgedAt ? <span className="muted small">acknowledged</span> : manageBudgets && <button type="button" className="btn btn-sm" onClick={() => ack.mutate({ id: a.id })}>Acknowledge</button>}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>

      <div className="card card-body stack">
        <h2>Your prices and discounts</h2>
        <div className="muted small">Used instead of the public list prices for the same cloud, region and SKU; discounts apply to a cloud or to SKUs starting with a prefix.</div>
        {pricing.isError && <ErrorState error={pricing.error} title="Could not load your prices" />}
        <div className="table-wrap"><table className="table" data-testid="prices">
          <thead><tr><th>Cloud</th><th>Region</th><th>SKU</th><th className="num">Price</th><th>Effective</th><th>Source</th><th /></tr></thead>
          <tbody>
            {pricing.data?.prices.map((p) => (
              <tr key={p.id} data-testid="price">
                <td>{p.cloud}</td><td>{p.region}</td><td className="mono small">{p.sku}</td><td className="num">${p.price} / {p.unit}</td><td>{p.effective}</td><td className="small">{p.source}</td>
                <td>{managePrices && <button type="button" className="btn btn-sm" onClick={() => deletePrice.mutate({ id: p.id })}>Remove</button>}</td>
              </tr>
            ))}
            {pricing.data?.discounts.map((d) => (
              <tr key={d.id} data-testid="discount">
                <td>{d.cloud}</td><td>all</td><td className="mono small">{d.skuPrefix || '(every SKU)'}</td><td className="num">−{d.percent}%</td><td /><td className="small">{d.note}</td>
                <td>{managePrices && <button type="button" className="btn btn-sm" onClick={() => deleteDiscount.mutate({ id: d.id })}>Remove</button>}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
        {managePrices && (
          <>
            <form className="row" onSubmit={(e) => { e.preventDefault(); savePrice.mutate({ ...price, price: Number(price.price) }); }}>
              <select className="select" value={price.cloud} onChange={(e) => setPrice({ ...price, cloud: e.target.value as typeof price.cloud })} aria-label="Cloud">{['aws', 'azure', 'gcp'].map((c) => <option key={c}>{c}</option>)}</select>
              <input className="input" placeholder="region" value={price.region} onChange={(e) => setPrice({ ...price, region: e.target.value })} data-testid="price-region" aria-label="Region" />
              <input className="input mono" placeholder="ec2:m5.large" value={price.sku} onChange={(e) => setPrice({ ...price, sku: e.target.value })} data-testid="price-sku" aria-label="SKU" />
              <select className="select" value={price.unit} onChange={(e) => setPrice({ ...price, unit: e.target.value as typeof price.unit })} data-testid="price-unit" aria-label="Unit">{['hour', 'GB-month', 'month'].map((u) => <option key={u}>{u}</option>)}</select>
              <input className="input" type="number" step="0.000001" placeholder="USD per unit" value={price.price} onChange={(e) => setPrice({ ...price, price: e.target.value })} data-testid="price-price" aria-label="Price" />
              <input className="input" type="date" value={price.effective} onChange={(e) => setPrice({ ...price, effective: e.target.value })} aria-label="Effective" />
              <input className="input" placeholder="source (agreement)" value={price.source} onChange={(e) => setPrice({ ...price, source: e.target.value })} aria-label="Source" />
              <button type="submit" className="btn btn-primary" data-testid="price-save">Add price</button>
            </form>
            <form className="row" onSubmit={(e) => { e.preventDefault(); saveDiscount.mutate({ ...discount, percent: Number(discount.percent) }); }}>
              <select className="select" value={discount.cloud} onChange={(e) => setDiscount({ ...discount, cloud: e.target.value as typeof discount.cloud })} aria-label="Discount cloud">{['aws', 'azure', 'gcp'].map((c) => <option key={c}>{c}</option>)}</select>
              <input className="input mono" placeholder="SKU prefix (ec2:), empty for all" value={discount.skuPrefix} onChange={(e) => setDiscount({ ...discount, skuPrefix: e.target.value })} aria-label="SKU prefix" />
              <input className="input" type="number" step="0.01" placeholder="percent" value={discount.percent} onChange={(e) => setDiscount({ ...discount, percent: e.target.value })} aria-label="Percent" />
              <input className="input" placeholder="note" value={discount.note} onChange={(e) => setDiscount({ ...discount, note: e.target.value })} aria-label="Note" />
              <button type="submit" className="btn" data-testid="discount-save">Add discount</button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
