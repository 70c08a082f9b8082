import { scopeIn, type TAction, type TPermission, type TResource, type TRole } from '@dharma/auth/rbac';

export type { TRole };
/** A permission as `identity.me` reports it. */
export type TPermissionLike = { resource: string; action: string; scope: string };
type TPermissions = readonly TPermissionLike[];
const scopeOf = (permissions: TPermissions, resource: TResource, action: TAction) => scopeIn(permissions as readonly TPermission[], resource, action);

/**
 * What the console offers. The services decide; these only hide buttons the services would refuse, using the same
 * permission table (@dharma/auth/rbac is a pure module).
 */
export const canCreateBlueprint = (permissions: TPermissions) => scopeOf(permissions, 'blueprint', 'create') !== null;

function coversRecord(permissions: TPermissions, action: 'update' | 'delete', me: string, ownerId: string | null) {
  const scope = scopeOf(permissions, 'blueprint', action);
  if (scope === null) return false;
  return scope === 'tenant' || scope === 'global' || ownerId === me;
}

export const canEditBlueprint = (permissions: TPermissions, me: string, ownerId: string | null) => coversRecord(permissions, 'update', me, ownerId);
export const canArchiveBlueprint = (permissions: TPermissions, me: string, ownerId: string | null) => coversRecord(permissions, 'delete', me, ownerId);
export const canReadSystem = (permissions: TPermissions) => scopeOf(permissions, 'system', 'read') !== null;
/** May open a console page guarded by `resource:action` (the services refuse the rest anyway). */
export const can = (permissions: TPermissions, resource: TResource, action: TAction) => scopeOf(permissions, resource, action) !== null;

export const ROLE_LABELS: Record<TRole, string> = {
  admin: 'Admin',
  enterprise_architect: 'Enterprise architect',
  solution_architect: 'Solution architect',
  technical_architect: 'Technical architect',
  project_manager: 'Project manager',
  sre: 'SRE',
  viewer: 'Viewer',
};
