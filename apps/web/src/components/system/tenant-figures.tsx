import type { TTenantStats } from '../../lib/api-types';
import { formatNumber } from '../../lib/format';

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {formatNumber(value)}
      </div>
    </div>
  );
}

/** The signed-in user's own tenant: its designs and activity, counted under its row-level security. */
export function TenantFigures({ data }: { data: TTenantStats }) {
  const b = data.blueprints;
  return (
    <section className="card" data-testid="panel-tenant">
      <div className="card-header">
        <h2>
          Your tenant <span className="badge mono">{data.tenant.slug}</span>
        </h2>
        <span className="muted small">Only this tenant&apos;s records are counted.</span>
      </div>
      <div className="card-body flush">
        <div className="stats">
          <Stat label="Live blueprints" value={b.live} testId="tenant-live" />
          <Stat label="Archived" value={b.archived} testId="tenant-archived" />
          <Stat label="Components in live designs" value={b.components} testId="tenant-components" />
          <Stat label="Projects" value={data.projects} testId="tenant-projects" />
          <Stat label="Draft" value={b.draft} testId="tenant-draft" />
          <Stat label="In review" value={b.review} testId="tenant-review" />
          <Stat label="Approved" value={b.approved} testId="tenant-approved" />
          <Stat label="Deprecated" value={b.deprecated} testId="tenant-deprecated" />
          <Stat label="Versions saved, 24 h" value={data.versions.last24h} testId="tenant-versions-24h" />
          <Stat label="Versions saved, 7 days" value={data.versions.last7d} testId="tenant-versions-7d" />
          <Stat label="Versions, all time" value={data.versions.total} testId="tenant-versions-total" />
          <Stat label="Active members" value={data.members} testId="tenant-members" />
        </div>
      </div>
    </section>
  );
}
