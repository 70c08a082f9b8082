import { router } from '../trpc/procedures';
import { blueprintsRouter } from './blueprints/blueprints.router';
import { healthRouter } from './health.router';
import { identityRouter } from './identity.router';
import { monitoringRouter } from './monitoring.router';
import { projectsRouter } from './projects.router';

export const appRouter = router({
  health: healthRouter,
  identity: identityRouter,
  projects: projectsRouter,
  blueprints: blueprintsRouter,
  monitoring: monitoringRouter,
});

export type AppRouter = typeof appRouter;
