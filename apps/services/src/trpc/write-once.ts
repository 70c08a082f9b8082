import type { TEntryPatch } from '@dharma/cache/cache';
import { IdempotencyRace, isDatabaseUnavailable } from '@dharma/db/errors';
import type { TDeps } from '../deps';
import type { TTenantCache } from './procedures';

interface TWrite<T> {
  /** The write: one tenant message (`ctx.write`). */
  run: () => Promise<T>;
  /** Turns a database error into a domain error (`blueprintWriteError`); `IdempotencyRace` means run it again. */
  mapError: (error: unknown) => unknown;
  /** The cache tags the committed write makes stale, or, given undefined, those it may have made stale when its outcome is unknown. */
  tags: (result: T | undefined) => string[];
  /** How the committed write changes cached entries that can be rewritten rather than reloaded (`TEntryPatch`). */
  patch?: (result: T) => TEntryPatch | readonly TEntryPatch[] | undefined;
}

/**
 * A tenant write and its cache invalidation, so every mutation treats both the same way:
 * - database errors become domain errors; when another request with the same idempotency key committed first, the
 *   write runs once more and returns that request's result (the database function finds it by the key);
 * - after a commit, or a replay of one (whose own request may have failed before invalidating), the tags are bumped
 *   before the caller is answered, so its next read, on any process, sees the write;
 * - when the outcome is unknown (no answer within DB_TIMEOUT_MS, or the connection dropped: the write may still
 *   commit), the tags it may have touched are bumped now and again after twice the budget, then the error
 *   propagates as a 503 whose message says to retry with the same Idempotency-Key.
 */
export async function writeOnce<T>(ctx: { cache: TTenantCache; deps: TDeps }, write: TWrite<T>): Promise<T> {
  let result: T;
  try {
    result = await runMapped(write);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      const tags = write.tags(undefined);
      if (tags.length > 0) {
        void ctx.cache.invalidate(tags);
        setTimeout(() => void ctx.cache.invalidate(tags), 2 * ctx.deps.env.DB_TIMEOUT_MS).unref();
      }
    }
    throw error;
  }
  const tags = write.tags(result);
  if (tags.length > 0) await ctx.cache.invalidate(tags, write.patch?.(result));
  return result;
}

async function runMapped<T>({ run, mapError }: TWrite<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const mapped = mapError(error);
    if (!(mapped instanceof IdempotencyRace)) throw mapped;
  }
  try {
    return await run();
  } catch (error) {
    throw mapError(error);
  }
}
