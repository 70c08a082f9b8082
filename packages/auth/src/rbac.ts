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
  'governance', 'recommendation', 'audit', 'tenant', 'user', 'system',
] as const;
export type TResource = (typeof RESOURCES)[number];
export type TAction = 'create' | 'read' | 'update' | 'delete' | 'approve' | 'execute' | 'override' | 'manage';
export type TScope = 'own' | 'team' | 'tenant' | 'global';

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

/** The widest scope at which these roles may do `action` on `resource`, or null when they may not. */
export function allowedScope(roles: readonly TRole[], resource: TResource, action: TAction): TScope | null {
  let best: TScope | null = null;
  for (const role of roles) {
    for (const [r, a, scope] of ROLE_GRANTS[role] ?? []) {
      if ((r === '*' || r === resource) && (a === action || a === 'manage')) {
        if (best === null || SCOPE_RANK[scope] > SCOPE_RANK[best]) best = scope;
      }
    }
  }
  return best;
}

/**
 * The owner a record must have for `scope` to cover it, or null when any record of the tenant is covered: what a
 * write hands the database to enforce under its row lock. Team scope is treated as own until teams own records.
 */
export function requiredOwner(scope: TScope, userId: string): string | null {
  return scope === 'tenant' || scope === 'global' ? null : userId;
}

/** True when `scope` covers a record owned by `ownerId` for `userId`. */
export function scopeCovers(scope: TScope, { userId, ownerId }: { userId: string; ownerId: string | null }): boolean {
  const owner = requiredOwner(scope, userId);
  return owner === null || owner === ownerId;
}
