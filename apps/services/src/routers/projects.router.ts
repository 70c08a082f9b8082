import { z } from 'zod';
import { CLOUD_VALUES } from '@dharma/db/schema/projects';
import { listProjects } from '@dharma/db/queries/projects';
import { cachedQueryNoInput, cachedRead } from '../trpc/cached-read';
import { router } from '../trpc/procedures';
import { blueprintTags } from './blueprints/blueprints.router';

export const projectTags = { lists: 'projects' };

const ZProject = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  primaryCloud: z.enum(CLOUD_VALUES),
  tags: z.record(z.string(), z.string()),
  blueprintCount: z.number(),
  createdAt: z.string(),
});

export const projectReads = {
  // Blueprint counts are part of the row, so blueprint changes invalidate this list too.
  list: cachedRead({ resource: 'project', action: 'read', input: undefined, output: z.array(ZProject), tags: () => [projectTags.lists, blueprintTags.any] }),
};

export const projectsRouter = router({
  list: cachedQueryNoInput(projectReads.list, (ctx) => ctx.tx((tx) => listProjects(tx, { tenantId: ctx.tenant.id }), { readOnly: true })),
});
