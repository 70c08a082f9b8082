import { initials } from '../../lib/format';
import { signOutAction } from '../../lib/session-actions';
import { RoleList } from '../ui/badges';
import type { TSessionUser } from './session-context';
import { NavToggle } from './shell-frame';
import { TenantSwitcher } from './tenant-switcher';

export function TopBar({ user }: { user: TSessionUser }) {
  return (
    <header className="topbar">
      <div className="row muted small topbar-tenant">
        <NavToggle />
        <span className="hide-narrow">Tenant</span> <TenantSwitcher slug={user.tenant.slug} />
      </div>
      <div className="topbar-user">
        <span className="hide-narrow">
          <RoleList roles={user.roles} />
        </span>
        <span className="avatar">{initials(user.name)}</span>
        <span className="topbar-who">
          <strong data-testid="user-name">{user.name}</strong>
          <span className="muted small hide-narrow topbar-email">{user.email}</span>
        </span>
        {/* data-leaves-page: signing out with unsaved edits asks first (UnsavedChangesGuard). */}
        <form action={signOutAction} data-leaves-page>
          <button type="submit" className="btn btn-sm" data-testid="sign-out">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
