import { z } from 'zod';
import { ZBlueprintGraph, ZText, type TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { BLUEPRINT_STATUSES } from '@dharma/db/schema/blueprints';
import { CLOUD_VALUES } from '@dharma/db/schema/projects';

const ZId = z.uuid({ error: 'must be a uuid' });
const ZName = ZText({ error: 'is required' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');
const ZCloud = z.enum(CLOUD_VALUES, { error: () => `must be one of: ${CLOUD_VALUES.join(', ')}` });
const ZStatus = z.enum(BLUEPRINT_STATUSES, { error: () => `must be one of: ${BLUEPRINT_STATUSES.join(', ')}` });
const ZVersionNumber = z.number({ error: 'must be a version number' }).int('must be a whole number').min(1, 'must be at least 1');

export const ZListBlueprintsInput = z.object({
  search: ZText().trim().max(120, 'must be at most 120 characters').optional(),
  projectId: ZId.optional(),
  cloud: ZCloud.optional(),
  status: ZStatus.optional(),
  archived: z.enum(['live', 'archived', 'all'], { error: () => 'must be live, archived or all' }).default('live'),
  page: z.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(100_000).default(1),
  pageSize: z.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
});
export type TListBlueprintsInput = z.input<typeof ZListBlueprintsInput>;

export const ZBlueprintIdInput = z.object({ id: ZId });

export const ZCreateBlueprintInput = z.object({
  projectId: ZId,
  name: ZName,
  description: ZText().trim().max(2000, 'must be at most 2000 characters').default(''),
  cloud: ZCloud,
  graph: ZBlueprintGraph,
  message: ZText().trim().max(500, 'must be at most 500 characters').default('Initial version'),
});
export type TCreateBlueprintInput = z.input<typeof ZCreateBlueprintInput>;

export const ZSaveVersionInput = z.object({
  id: ZId,
  baseVersion: ZVersionNumber,
  graph: ZBlueprintGraph,
  message: ZText({ error: 'is required' }).trim().min(1, 'describe what changed').max(500, 'must be at most 500 characters'),
  name: ZName.optional(),
  description: ZText().trim().max(2000, 'must be at most 2000 characters').optional(),
});
export type TSaveVersionInput = z.input<typeof ZSaveVersionInput>;

export const ZVersionInput = z.object({ id: ZId, number: ZVersionNumber });
export const ZDiffInput = z.object({ id: ZId, from: ZVersionNumber, to: ZVersionNumber });

/** Outputs are validated for shape; the graph was validated when it was saved, so it is not re-checked per read. */
const ZGraphOut = z.custom<TBlueprintGraph>((v) => typeof v === 'object' && v !== null && 'components' in v);

export const ZBlueprintSummary = z.object({
  id: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  name: z.string(),
  description: z.string(),
  cloud: ZCloud,
  status: ZStatus,
  currentVersion: z.number(),
  componentCount: z.number(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
});
export const ZBlueprintList = z.object({ items: z.array(ZBlueprintSummary), total: z.number(), page: z.number(), pageSize: z.number() });
export const ZBlueprintDetail = ZBlueprintSummary.extend({ graph: ZGraphOut, graphHash: z.string() });

export const ZVersionSummary = z.object({
  id: z.string(),
  number: z.number(),
  parentNumber: z.number().nullable(),
  message: z.string(),
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  graphHash: z.string(),
  componentCount: z.number(),
  relationCount: z.number(),
  createdAt: z.string(),
});
export const ZVersionDetail = ZVersionSummary.extend({ graph: ZGraphOut });
