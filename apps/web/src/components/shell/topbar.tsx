import { initials } from '../../lib/format';
import { signOutAction } from '../../lib/session-actions';
import { RoleList } from '../ui/badges';
import type { TSessionUser } from './session-context';

export function TopBar({ user }: { user: TSessionUser }) {
  return (
    <header className="topbar">
      <div className="row muted small">
        Tenant <span className="badge mono" data-testid="tenant-slug">{user.tenant.slug}</span>
      </div>
      <div className="topbar-user">
        <RoleList roles={user.roles} />
        <span className="avatar">{initials(user.name)}</span>
        <span>
          <strong data-testid="user-name">{user.name}</strong>
          <br />
          <span className="muted small">{user.email}</span>
        </span>
        <form action={signOutAction}>
          <button type="submit" className="btn btn-sm" data-testid="sign-out">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
