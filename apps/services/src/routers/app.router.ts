import type { ROUTER_NAMES } from '../env';
import { router } from '../trpc/procedures';
import type { TCachedReadSpec } from '../trpc/cached-read';
import { blueprintReads, blueprintsRouter } from './blueprints/blueprints.router';
import { costingReads, costingRouter } from './costing/costing.router';
import { guardrailsRouter } from './guardrails/guardrails.router';
import { healthRouter } from './health.router';
import { iacReads, iacRouter } from './iac/iac.router';
import { identityRouter } from './identity/identity.router';
import { ssoRouter } from './identity/sso.router';
import { teamsRouter } from './identity/teams.router';
import { platformRouter } from './platform/platform.router';
import { rolesRouter } from './identity/roles.router';
import { tokensRouter } from './identity/tokens.router';
import { usersRouter } from './identity/users.router';
import { auditRouter } from './audit/audit.router';
import { monitoringRouter } from './monitoring.router';
import { projectReads, projectsRouter } from './projects.router';

export const appRouter = router({
  health: healthRouter,
  identity: identityRouter,
  sso: ssoRouter,
  teams: teamsRouter,
  platform: platformRouter,
  projects: projectsRouter,
  blueprints: blueprintsRouter,
  iac: iacRouter,
  guardrails: guardrailsRouter,
  costing: costingRouter,
  monitoring: monitoringRouter,
  users: usersRouter,
  roles: rolesRouter,
  tokens: tokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;

// Compile-time check that env.ts's router names (which validate SERVICES) are exactly the mounted ones.
type TMounted = keyof typeof appRouter._def.record;
type TNamed = (typeof ROUTER_NAMES)[number];
export const routerNamesMatch: [TMounted] extends [TNamed] ? ([TNamed] extends [TMounted] ? true : never) : never = true;

const prefixed = (prefix: string, specs: Record<string, TCachedReadSpec<never, never>>) =>
  Object.fromEntries(Object.entries(specs).map(([name, spec]) => [`${prefix}.${name}`, spec]));

/** Every cacheable read by procedure path, for the front cache layer. */
export const cachedReadSpecs: Record<string, TCachedReadSpec> = {
  ...prefixed('blueprints', blueprintReads as never),
  ...prefixed('projects', projectReads as never),
  ...prefixed('iac', iacReads as never),
  ...prefixed('costing', costingReads as never),
};
