import { z } from 'zod';

/**
 * The permission model: (resource, action, scope). `manage` implies every action; a wider scope includes the
 * narrower ones (own < team < tenant < global).
 */
export const ROLES = [
  'admin', 'enterprise_architect', 'solution_architect', 'technical_architect', 'project_manager', 'sre', 'viewer',
] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const RESOURCES = [
  'blueprint', 'project', 'deployment', 'iac', 'guardrail', 'policy', 'costing', 'budget', 'approval', 'incident',
  'governance', 'recommendation', 'audit', 'tenant', 'user', 'role', 'token', 'system',
] as const;
export type TResource = (typeof RESOURCES)[number];
export const ACTIONS = ['create', 'read', 'update', 'delete', 'approve', 'execute', 'override', 'manage'] as const;
export type TAction = (typeof ACTIONS)[number];
export const SCOPES = ['own', 'team', 'tenant', 'global'] as const;
export type TScope = (typeof SCOPES)[number];

/**
 * One permission as a custom role lists it or an API token carries it. Scopes a tenant may give: `tenant` (any
 * record of the tenant), `team` (records of projects that belong to one of the holder's teams, and their own) and
 * `own` (records the holder created). Reads at `own` or `team` scope see only those rows: lists are filtered, and
 * a record outside the scope reads as not found.
 */
export const ZPermission = z.object({
  resource: z.enum([...RESOURCES, '*'], { error: `must be * or one of ${RESOURCES.join(', ')}` }),
  action: z.enum(ACTIONS, { error: `must be one of ${ACTIONS.join(', ')}` }),
  scope: z.enum(['own', 'team', 'tenant'], { error: 'must be own, team or tenant' }),
});
export type TPermission = { resource: TResource | '*'; action: TAction; scope: TScope };

const SCOPE_RANK: Record<TScope, number> = { own: 0, team: 1, tenant: 2, global: 3 };

type TGrant = readonly [TResource | '*', TAction, TScope];

const READ_ALL: TGrant = ['*', 'read', 'tenant'];

export const ROLE_GRANTS: Record<TRole, readonly TGrant[]> = {
  // `system` at global scope: the process-wide figures (every tenant's traffic, PgBouncer, Redis) are the platform's,
  // not one tenant's. Everyone else reading `system` sees their own tenant's figures only.
  admin: [['*', 'manage', 'tenant'], ['system', 'read', 'global']],
  enterprise_architect: [
    READ_ALL,
    ['blueprint', 'manage', 'tenant'], ['project', 'manage', 'tenant'], ['policy', 'manage', 'tenant'],
    ['governance', 'manage', 'tenant'], ['guardrail', 'manage', 'tenant'], ['approval', 'approve', 'tenant'],
  ],
  solution_architect: [
    READ_ALL,
    ['blueprint', 'create', 'tenant'], ['blueprint', 'update', 'own'], ['blueprint', 'delete', 'own'],
    ['iac', 'create', 'tenant'], ['costing', 'create', 'tenant'],
  ],
  technical_architect: [
    READ_ALL,
    ['blueprint', 'create', 'tenant'], ['blueprint', 'update', 'tenant'], ['iac', 'manage', 'tenant'],
    ['guardrail', 'override', 'tenant'], ['deployment', 'create', 'tenant'],
  ],
  project_manager: [READ_ALL, ['approval', 'approve', 'tenant'], ['budget', 'manage', 'tenant'], ['project', 'update', 'tenant']],
  sre: [READ_ALL, ['deployment', 'execute', 'tenant'], ['incident', 'manage', 'tenant']],
  viewer: [
    ['blueprint', 'read', 'tenant'], ['project', 'read', 'tenant'], ['costing', 'read', 'tenant'],
    ['deployment', 'read', 'tenant'], ['incident', 'read', 'tenant'],
  ],
};

// Everyone manages their own API tokens; admins (`*` manage at tenant) manage everyone's and service accounts'.
const OWN_TOKENS: TGrant = ['token', 'manage', 'own'];

/** A system role's permissions, as data. */
export function systemPermissions(role: TRole): TPermission[] {
  return [...ROLE_GRANTS[role], OWN_TOKENS].map(([resource, action, scope]) => ({ resource, action, scope }));
}

const SYSTEM_PERMISSIONS = Object.fromEntries(ROLES.map((role) => [role, systemPermissions(role)])) as Record<TRole, TPermission[]>;

export const isSystemRole = (name: string): name is TRole => (ROLES as readonly string[]).includes(name);

/** The widest scope at which `permissions` allow `action` on `resource`, or null when they do not. */
export function scopeIn(permissions: readonly TPermission[], resource: TResource, action: TAction): TScope | null {
  let best: TScope | null = null;
  for (const p of permissions) {
    if ((p.resource === '*' || p.resource === resource) && (p.action === action || p.action === 'manage')) {
      if (best === null || SCOPE_RANK[p.scope] > SCOPE_RANK[best]) best = p.scope;
    }
  }
  return best;
}

/**
 * What a token may do for its user now: each of its permissions narrowed to what the user's roles still allow
 * (a token never outlives a revoked role). The narrower of the two scopes.
 */
export function narrowToToken(held: readonly TPermission[], token: readonly TPermission[]): TPermission[] {
  const out: TPermission[] = [];
  for (const p of token) {
    const actions = p.action === 'manage' ? ACTIONS : [p.action];
    const resources = p.resource === '*' ? RESOURCES : [p.resource];
    for (const resource of resources) {
      for (const action of actions) {
        const heldScope = scopeIn(held, resource, action);
        if (heldScope === null) continue;
        out.push({ resource, action, scope: SCOPE_RANK[heldScope] < SCOPE_RANK[p.scope] ? heldScope : p.scope });
      }
    }
  }
  return out;
}

/** The widest scope at which these roles may do `action` on `resource`, or null when they may not. */
export function allowedScope(roles: readonly TRole[], resource: TResource, action: TAction): TScope | null {
  let best: TScope | null = null;
  for (const role of roles) {
    const scope = SYSTEM_PERMISSIONS[role] ? scopeIn(SYSTEM_PERMISSIONS[role], resource, action) : null;
    if (scope !== null && (best === null || SCOPE_RANK[scope] > SCOPE_RANK[best])) best = scope;
  }
  return best;
}

/** Who a scope is decided for: the caller and their teams. */
export interface TScopeHolder {
  userId: string;
  teamIds: readonly string[];
}

/** What a scope is decided on: who created the record and which team its project belongs to. */
export interface TScopedRecord {
  ownerId: string | null;
  teamId: string | null;
}

/** True for the scopes that cover every record of the tenant (no row filter, shared cache entries). */
export const isTenantWide = (scope: TScope) => scope === 'tenant' || scope === 'global';

/**
 * The rows `scope` lets the holder see or change, as a filter: null for every row of the tenant; otherwise records
 * they created, and at team scope also those of their teams' projects.
 */
export function rowScope(scope: TScope, who: TScopeHolder): { ownerId: string; teamIds: readonly string[] } | null {
  if (isTenantWide(scope)) return null;
  return { ownerId: who.userId, teamIds: scope === 'team' ? who.teamIds : [] };
}

/**
 * The owner a record must have for `scope` to cover it, or null when the database need not check one: what a write
 * hands the database to enforce under its row lock. Team scope is checked by the caller (`scopeCovers`) before.
 */
export function requiredOwner(scope: TScope, userId: string): string | null {
  return scope === 'own' ? userId : null;
}

/** True when `scope` covers `record` for `who`. */
export function scopeCovers(scope: TScope, who: TScopeHolder, record: TScopedRecord): boolean {
  const rows = rowScope(scope, who);
  if (rows === null) return true;
  return record.ownerId === rows.ownerId || (record.teamId !== null && rows.teamIds.includes(record.teamId));
}
