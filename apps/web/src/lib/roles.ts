import { allowedScope, type TRole } from '@dharma/auth/rbac';

export type { TRole };

/**
 * What the console offers. The services decide; these only hide buttons the services would refuse, using the same
 * permission table (@dharma/auth/rbac is a pure module).
 */
export const canCreateBlueprint = (roles: readonly TRole[]) => allowedScope(roles, 'blueprint', 'create') !== null;

function coversRecord(roles: readonly TRole[], action: 'update' | 'delete', me: string, ownerId: string | null) {
  const scope = allowedScope(roles, 'blueprint', action);
  if (scope === null) return false;
  return scope === 'tenant' || scope === 'global' || ownerId === me;
}

export const canEditBlueprint = (roles: readonly TRole[], me: string, ownerId: string | null) => coversRecord(roles, 'update', me, ownerId);
export const canArchiveBlueprint = (roles: readonly TRole[], me: string, ownerId: string | null) => coversRecord(roles, 'delete', me, ownerId);
export const canReadSystem = (roles: readonly TRole[]) => allowedScope(roles, 'system', 'read') !== null;

export const ROLE_LABELS: Record<TRole, string> = {
  admin: 'Admin',
  enterprise_architect: 'Enterprise architect',
  solution_architect: 'Solution architect',
  technical_architect: 'Technical architect',
  project_manager: 'Project manager',
  sre: 'SRE',
  viewer: 'Viewer',
};
