import { allowedScope, ROLES, type TRole } from '@dharma/auth/rbac';

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

const covers = (roles: readonly TRole[], figures: TFigures) => {
  const scope = allowedScope(roles, 'system', 'read');
  return scope !== null && (figures === 'tenant' || scope === NEEDED.platform);
};

/** The roles that may see these figures, from the permission table. */
export const rolesThatSee = (figures: TFigures): TRole[] => ROLES.filter((role) => covers([role], figures));

const WHAT: Record<TFigures, string> = {
  tenant: "this tenant's figures",
  platform: "platform figures (every tenant's requests, PgBouncer pools, Redis, the near cache)",
};

/** Null when the roles may see the figures; otherwise the refusal, naming the permission it takes and who holds it. */
export function figuresDenial(roles: readonly TRole[], figures: TFigures): string | null {
  if (covers(roles, figures)) return null;
  const holders = rolesThatSee(figures);
  return `${WHAT[figures]} need the read permission on system at ${NEEDED[figures]} scope, which the ${holders.join(', ')} role${holders.length === 1 ? '' : 's'} hold${holders.length === 1 ? 's' : ''}; your roles (${roles.join(', ') || 'none'}) do not`;
}
