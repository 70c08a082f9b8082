import type { z } from 'zod';
import type { TAction, TResource } from '@dharma/auth/rbac';
import { permission } from './procedures';

/**
 * A cacheable read, declared once: who may call it, its input and output, and the tags that invalidate it.
 * The tRPC procedure (`cachedQuery`) and the front cache layer (`front-cache.ts`) both use it, so they compute the
 * same key and tags and apply the same permission check.
 */
export interface TCachedReadSpec<I extends z.ZodType | undefined = z.ZodType | undefined, O extends z.ZodType = z.ZodType> {
  resource: TResource;
  action: TAction;
  input: I;
  output: O;
  tags: (input: I extends z.ZodType ? z.output<I> : undefined) => string[];
  ttlSeconds?: number;
}

export function cachedRead<I extends z.ZodType | undefined, O extends z.ZodType>(spec: TCachedReadSpec<I, O>): TCachedReadSpec<I, O> {
  return spec;
}

type TReadCtx = Parameters<Parameters<ReturnType<typeof permission>['query']>[0]>[0]['ctx'];

/**
 * The procedure for a spec. The loaded value is parsed by the output schema before it is cached, so a cached entry
 * is exactly what tRPC would send: the front layer can answer it byte for byte.
 */
export function cachedQuery<I extends z.ZodType, O extends z.ZodType>(
  spec: TCachedReadSpec<I, O>,
  load: (ctx: TReadCtx, input: z.output<I>) => Promise<z.input<O>>,
) {
  return permission(spec.resource, spec.action)
    .input(spec.input)
    .output(spec.output)
    .query(async ({ ctx, input, path }) => {
      const value = await ctx.cache.read({ path, input, tags: spec.tags(input as never), ...(spec.ttlSeconds ? { ttlSeconds: spec.ttlSeconds } : {}) }, async () =>
        spec.output.parse(await load(ctx, input as z.output<I>)),
      );
      // Parsed by spec.output above; generic zod types cannot show tRPC that it matches `.output(spec.output)`.
      return value as never;
    });
}

/** The same for a read that takes no input. */
export function cachedQueryNoInput<O extends z.ZodType>(spec: TCachedReadSpec<undefined, O>, load: (ctx: TReadCtx) => Promise<z.input<O>>) {
  return permission(spec.resource, spec.action)
    .output(spec.output)
    .query(async ({ ctx, path }) => {
      const value = await ctx.cache.read({ path, input: undefined, tags: spec.tags(undefined), ...(spec.ttlSeconds ? { ttlSeconds: spec.ttlSeconds } : {}) }, async () =>
        spec.output.parse(await load(ctx)),
      );
      return value as never;
    });
}
