import { z } from 'zod';
import { CLOUD_VALUES } from '@dharma/db/schema/projects';
import { listProjects } from '@dharma/db/queries/projects';
import { permission, router } from '../trpc/procedures';
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

export const projectsRouter = router({
  // Blueprint counts are part of the row, so blueprint changes invalidate this list too.
  list: permission('project', 'read')
    .output(z.array(ZProject))
    .query(({ ctx, path }) =>
      ctx.cache.read({ path, input: undefined, tags: [projectTags.lists, blueprintTags.lists] }, () =>
        ctx.tx((tx) => listProjects(tx, { tenantId: ctx.tenant.id }), { readOnly: true }),
      ),
    ),
});
