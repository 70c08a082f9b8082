'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { switchTenantAction } from '../../lib/session-actions';
import { useTRPC } from '../../lib/trpc/client';

/**
 * The header's tenant: for a person who belongs to several, a menu of the others. Switching signs in to the other
 * tenant on its own terms (its identity provider; the development sign-in where that is on and it has none): a
 * tenant never trusts another tenant's sign-in.
 */
export function TenantSwitcher({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const memberships = useQuery(trpc.identity.memberships.queryOptions(undefined, { staleTime: 60_000 }));
  const others = memberships.data?.filter((m) => !m.current) ?? [];
  if (others.length === 0) {
    return (
      <span className="badge mono" data-testid="tenant-slug">
        {slug}
      </span>
    );
  }
  return (
    <span className="tenant-switcher">
      <button type="button" className="badge mono" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="tenant-switcher">
        <span data-testid="tenant-slug">{slug}</span> ▾
      </button>
      {open && (
        <span className="card tenant-menu" role="menu">
          {others.map((m) => (
            <form key={m.tenantId} action={switchTenantAction} data-leaves-page>
              <input type="hidden" name="tenant" value={m.tenantSlug} />
              <input type="hidden" name="userId" value={m.userId} />
              <button type="submit" role="menuitem" className="btn btn-sm" data-testid={`switch-to-${m.tenantSlug}`}>
                {m.tenantName} <span className="muted mono">{m.tenantSlug}</span>
              </button>
            </form>
          ))}
        </span>
      )}
    </span>
  );
}
