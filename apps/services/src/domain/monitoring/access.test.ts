import { describe, expect, it } from 'vitest';
import { ROLES } from '@dharma/auth/rbac';
import { figuresDenial, rolesThatSee } from './access';

describe('System page figures', () => {
  it('shows platform figures only to roles with system read at global scope (admins)', () => {
    expect(rolesThatSee('platform')).toEqual(['admin']);
    expect(figuresDenial(['admin'], 'platform')).toBeNull();
    expect(figuresDenial(['sre'], 'platform')).toBe(
      "platform figures (every tenant's requests, PgBouncer pools, Redis, the near cache) need the read permission on system at global scope, which the admin role holds; your roles (sre) do not",
    );
  });

  it('shows tenant figures to every role that reads system, which leaves out viewers', () => {
    expect(rolesThatSee('tenant')).toEqual(ROLES.filter((r) => r !== 'viewer'));
    expect(figuresDenial(['project_manager'], 'tenant')).toBeNull();
    expect(figuresDenial(['viewer'], 'tenant')).toMatch(/^this tenant's figures need the read permission on system at tenant scope, which the admin, .* roles hold; your roles \(viewer\) do not$/);
    expect(figuresDenial([], 'tenant')).toMatch(/your roles \(none\) do not$/);
  });
});
