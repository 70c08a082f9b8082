import { ROLE_LABELS, type TRole } from '../../lib/roles';

export function CloudBadge({ cloud }: { cloud: string }) {
  return (
    <span className={`badge badge-${cloud}`} data-testid="cloud-badge">
      {cloud.toUpperCase()}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge">
      {status}
    </span>
  );
}

export function RoleList({ roles }: { roles: readonly string[] }) {
  return (
    <span className="row" style={{ gap: 4 }} data-testid="roles">
      {roles.map((r) => (
        <span key={r} className="badge" title={r}>
          {ROLE_LABELS[r as TRole] ?? r}
        </span>
      ))}
    </span>
  );
}
