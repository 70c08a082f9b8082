import type { z } from 'zod';
import { isTenantWide, type TAction, type TResource } from '@dharma/auth/rbac';
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

export type TReadCtx = Parameters<Parameters<ReturnType<typeof permission>['query']>[0]>[0]['ctx'];
type TLoad = (ctx: TReadCtx, input: never) => Promise<unknown>;

/** The loader of each spec that has a procedure, so the front read path (`front-cache.ts`) can answer misses too. */
const loaders = new WeakMap<TCachedReadSpec, TLoad>();
export const loaderOf = (spec: TCachedReadSpec): TLoad | undefined => loaders.get(spec);

/**
 * A cacheable read, through the cache: the loaded value is parsed by the output schema before it is cached, so a
 * cached entry is exactly what tRPC would send and the front layer can answer it byte for byte.
 */
export function readThrough(spec: TCachedReadSpec, ctx: TReadCtx, path: string, input: unknown, load: TLoad, known?: TKnownEntry): Promise<unknown> {
  // Cached entries are the tenant's: a caller who may read only their own or their teams' records gets a read of
  // their rows, straight from the database (the loader applies the scope).
  if (!isTenantWide(ctx.scope)) return parsedLoad(spec, ctx, input, load)();
  return ctx.cache.read(entryOf(spec, path, input, known), parsedLoad(spec, ctx, input, load));
}

/** The input's cache key (`stableKey`) and the spec's tags for it, when the caller worked them out already. */
type TKnownEntry = { key: string; tags: string[] };

/** The cache entry of a read: its path and input, the spec's tags for that input, and the spec's TTL if it has one. */
const entryOf = (spec: TCachedReadSpec, path: string, input: unknown, known?: TKnownEntry) => ({
  path,
  input,
  ...(known ? { key: known.key, tags: known.tags } : { tags: spec.tags(input as never) }),
  ...(spec.ttlSeconds ? { ttlSeconds: spec.ttlSeconds } : {}),
});

/** The loader as the cache calls it: the value parsed by the spec's output schema, so an entry is what tRPC sends. */
const parsedLoad = (spec: TCachedReadSpec, ctx: TReadCtx, input: unknown, load: TLoad) => async () => spec.output.parse(await load(ctx, input as never));

/**
 * Puts a read in the cache before anyone asks for it, in the background: for what a mutation makes a reader ask for
 * next (the blueprint just created). Same loader, same parse, same key and tags as the read itself.
 */
export function warmRead(spec: TCachedReadSpec, ctx: TReadCtx, path: string, input: unknown): void {
  const load = loaderOf(spec);
  if (!load) return;
  void ctx.cache.warm(entryOf(spec, path, input), parsedLoad(spec, ctx, input, load));
}

/** The procedure for a spec. */
export function cachedQuery<I extends z.ZodType, O extends z.ZodType>(
  spec: TCachedReadSpec<I, O>,
  load: (ctx: TReadCtx, input: z.output<I>) => Promise<z.input<O>>,
) {
  loaders.set(spec as TCachedReadSpec, load as TLoad);
  // No `.output(spec.output)`: readThrough has parsed the value by that schema already (before caching it), and a
  // second validation of every response cost 5% of an uncached read's CPU. The cast states what the parse proved.
  return permission(spec.resource, spec.action)
    .input(spec.input)
    .query(async ({ ctx, input, path }) => (await readThrough(spec as TCachedReadSpec, ctx, path, input, load as TLoad)) as z.output<O>);
}

/** The same for a read that takes no input. */
export function cachedQueryNoInput<O extends z.ZodType>(spec: TCachedReadSpec<undefined, O>, load: (ctx: TReadCtx) => Promise<z.input<O>>) {
  loaders.set(spec as TCachedReadSpec, load as TLoad);
  return permission(spec.resource, spec.action).query(
    async ({ ctx, path }) => (await readThrough(spec as TCachedReadSpec, ctx, path, undefined, load as TLoad)) as z.output<O>,
  );
}
