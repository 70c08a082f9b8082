import { z } from 'zod';
import { diffEstimates, estimate } from '@dharma/costing/estimate';
import { PUBLIC_PRICE_BOOK } from '@dharma/costing/price-book';
import { readVersion } from '../../domain/blueprints/read-version';
import { cachedQuery, cachedRead, type TReadCtx } from '../../trpc/cached-read';
import { router } from '../../trpc/procedures';
import { ZDiffInput, ZVersionInput } from '../blueprints/blueprints.schema';

const ZLine = z.object({ sku: z.string(), description: z.string(), unit: z.string(), quantity: z.number(), unitPrice: z.number(), monthly: z.number() });
const ZCategories = z.object({ compute: z.number(), storage: z.number(), network: z.number(), database: z.number(), other: z.number() });
const ZEstimate = z.object({
  version: z.number(),
  priceBook: z.string(),
  components: z.array(z.object({ componentId: z.string(), kind: z.string(), cloud: z.string(), region: z.string(), category: z.string(), status: z.enum(['priced', 'partial', 'free', 'unpriced']), lines: z.array(ZLine), monthly: z.number(), notes: z.array(z.string()) })),
  monthly: z.number(),
  hourly: z.number(),
  yearly: z.number(),
  byCategory: ZCategories,
  coverage: z.object({ priced: z.number(), partial: z.number(), free: z.number(), unpriced: z.number(), total: z.number(), missing: z.array(z.object({ componentId: z.string(), reason: z.string() })) }),
});
const ZCostDiff = z.object({
  from: z.number(),
  to: z.number(),
  monthlyBefore: z.number(),
  monthlyAfter: z.number(),
  change: z.number(),
  components: z.array(z.object({ componentId: z.string(), before: z.number().nullable(), after: z.number().nullable(), change: z.number() })),
});

/** Tag of every cost read: bumped when the prices a tenant uses change. */
export const costingTags = { prices: 'costing:prices' };

/** Cost reads of immutable versions: cached an hour, and by the prices' tag. */
export const costingReads = {
  estimate: cachedRead({ resource: 'costing', action: 'read', input: ZVersionInput, output: ZEstimate, tags: () => [costingTags.prices], ttlSeconds: 3600 }),
  diff: cachedRead({ resource: 'costing', action: 'read', input: ZDiffInput, output: ZCostDiff, tags: () => [costingTags.prices], ttlSeconds: 3600 }),
};

/** The price books a tenant's estimates use: the shipped public one (a tenant's own prices come next). */
const booksOf = (_ctx: TReadCtx) => [PUBLIC_PRICE_BOOK];

async function estimateOf(ctx: TReadCtx, input: { id: string; number: number }) {
  const { version } = await readVersion(ctx, input);
  return { version: input.number, ...estimate(version.graph, booksOf(ctx)) };
}

/**
 * Cost: a version's estimate (per component, in total, by category, with what could not be priced and why) and the
 * change between two versions.
 */
export const costingRouter = router({
  estimate: cachedQuery(costingReads.estimate, (ctx, input) => estimateOf(ctx, input)),
  diff: cachedQuery(costingReads.diff, async (ctx, input) => {
    const [before, after] = await Promise.all([estimateOf(ctx, { id: input.id, number: input.from }), estimateOf(ctx, { id: input.id, number: input.to })]);
    return { from: input.from, to: input.to, ...diffEstimates(before, after) };
  }),
});
