'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { TAction, TResource } from '@dharma/auth/rbac';
import { can } from '../../lib/roles';
import { useSessionUser } from './session-context';
import { useNav } from './shell-frame';

/** A link's `needs`: the permission its page reads with; without it the link is not shown (the services refuse anyway). */
type TLink = { href: string; label: string; needs?: [TResource, TAction] };
const LINKS: { section: string; items: TLink[] }[] = [
  { section: 'Design', items: [{ href: '/blueprints', label: 'Blueprints' }] },
  { section: 'Operate', items: [{ href: '/system', label: 'System' }] },
  { section: 'Govern', items: [{ href: '/guardrails', label: 'Guardrails', needs: ['guardrail', 'read'] }, { href: '/costing', label: 'Costs & budgets', needs: ['budget', 'read'] }, { href: '/audit', label: 'Audit log' }, { href: '/settings/users', label: 'Users & roles' }, { href: '/settings/tokens', label: 'API tokens' }, { href: '/settings/identity-providers', label: 'Identity providers' }] },
];
const PLATFORM: { section: string; items: TLink[] } = { section: 'Platform', items: [{ href: '/platform', label: 'Tenants' }] };

export function Sidebar() {
  const pathname = usePathname();
  const user = useSessionUser();
  const groups = user.platformAdmin ? [...LINKS, PLATFORM] : LINKS;
  const { open, toggle } = useNav();
  return (
    <nav id="main-nav" className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark">◆</span> IaC Dharma
        {open && (
          <button type="button" className="btn btn-ghost btn-sm nav-close" aria-label="Close navigation" onClick={toggle} data-testid="nav-close">
            ✕
          </button>
        )}
      </div>
      {groups.map((group) => (
        <div key={group.section}>
          <div className="nav-section">{group.section}</div>
          {group.items.filter((l) => !l.needs || can(user.permissions, ...l.needs)).map((l) => (
            <Link
              key={l.href}
              href={l.href}
              className={`nav-link${pathname.startsWith(l.href) ? ' active' : ''}`}
              aria-current={pathname.startsWith(l.href) ? 'page' : undefined}
              data-testid={`nav-${l.label.toLowerCase().replaceAll(' ', '-')}`}
            >
              {l.label}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}
