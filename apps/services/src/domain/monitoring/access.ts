import { allowedScope, ROLES, scopeIn, type TPermission, type TRole } from '@dharma/auth/rbac';

/**
 * Who may see which figures on the System page. Two kinds, kept apart:
 * - the tenant's own figures (its blueprints, versions, projects, members): `system` read at tenant scope;
 * - the platform's figures (request rates and latency of the whole process, PgBouncer pools, Redis, the near
 *   cache): these mix every tenant's traffic, so they need `system` read at global scope.
 * Both rules are answered from the RBAC table (packages/auth rbac.ts), so the messages name the roles that hold
 * the permission today instead of a hard-coded guess.
 */
export type TFigures = 'tenant' | 'platform';

const NEEDED = { tenant: 'tenant', platform: 'global' } as const;

const sees = (scope: string | null, figures: TFigures) => scope !== null && (figures === 'tenant' || scope === NEEDED.platform);

/** The system roles that may see these figures, from the permission table. */
export const rolesThatSee = (figures: TFigures): TRole[] => ROLES.filter((role) => sees(allowedScope([role], 'system', 'read'), figures));

const WHAT: Record<TFigures, string> = {
  tenant: "this tenant's figures",
  platform: "platform figures (every tenant's requests, PgBouncer pools, Redis, the near cache)",
};

/**
 * Null when the caller's permissions let them see the figures; otherwise the refusal, naming the permission it takes
 * and the system roles that hold it.
 */
export function figuresDenial({ roles, permissions }: { roles: readonly string[]; permissions: readonly TPermission[] }, figures: TFigures): string | null {
  if (sees(scopeIn(permissions, 'system', 'read'), figures)) return null;
  const holders = rolesThatSee(figures);
  return `${WHAT[figures]} need the read permission on system at ${NEEDED[figures]} scope, which the ${holders.join(', ')} role${holders.length === 1 ? '' : 's'} hold${holders.length === 1 ? 's' : ''}; your roles (${roles.join(', ') || 'none'}) do not`;
}
