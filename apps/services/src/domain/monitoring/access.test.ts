import { describe, expect, it } from 'vitest';
import { ROLES, systemPermissions, type TRole } from '@dharma/auth/rbac';
import { figuresDenial, rolesThatSee } from './access';

const as = (...roles: TRole[]) => ({ roles, permissions: roles.flatMap(systemPermissions) });

describe('System page figures', () => {
  it('shows platform figures only to roles with system read at global scope (admins)', () => {
    expect(rolesThatSee('platform')).toEqual(['admin']);
    expect(figuresDenial(as('admin'), 'platform')).toBeNull();
    expect(figuresDenial(as('sre'), 'platform')).toBe(
      "platform figures (every tenant's requests, PgBouncer pools, Redis, the near cache) need the read permission on system at global scope, which the admin role holds; your roles (sre) do not",
    );
  });

  it('shows tenant figures to every role that reads system, which leaves out viewers', () => {
    expect(rolesThatSee('tenant')).toEqual(ROLES.filter((r) => r !== 'viewer'));
    expect(figuresDenial(as('project_manager'), 'tenant')).toBeNull();
    expect(figuresDenial(as('viewer'), 'tenant')).toMatch(/^this tenant's figures need the read permission on system at tenant scope, which the admin, .* roles hold; your roles \(viewer\) do not$/);
    expect(figuresDenial(as(), 'tenant')).toMatch(/your roles \(none\) do not$/);
  });

  it('follows the permissions, so a custom role with system read sees the tenant figures and no more', () => {
    const custom = { roles: ['auditor'], permissions: [{ resource: 'system' as const, action: 'read' as const, scope: 'tenant' as const }] };
    expect(figuresDenial(custom, 'tenant')).toBeNull();
    expect(figuresDenial(custom, 'platform')).toMatch(/your roles \(auditor\) do not$/);
  });
});
