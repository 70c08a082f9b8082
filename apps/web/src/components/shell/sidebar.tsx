'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { section: 'Design', items: [{ href: '/blueprints', label: 'Blueprints' }] },
  { section: 'Operate', items: [{ href: '/system', label: 'System' }] },
];

export function Sidebar() {
  const pathname = usePathname();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark">◆</span> IaC Dharma
      </div>
      {LINKS.map((group) => (
        <div key={group.section}>
          <div className="nav-section">{group.section}</div>
          {group.items.map((l) => (
            <Link key={l.href} href={l.href} className={`nav-link${pathname.startsWith(l.href) ? ' active' : ''}`} data-testid={`nav-${l.label.toLowerCase()}`}>
              {l.label}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}
