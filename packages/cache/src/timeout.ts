/** A store call that did not answer within the cache's budget. */
export class CacheTimeoutError extends Error {
  override name = 'CacheTimeoutError';
}

/**
 * Settles with `call()` or rejects with {@link CacheTimeoutError} after `ms`, whichever comes first. A synchronous
 * throw becomes a rejection, and the abandoned promise keeps a handler, so a late failure is never unhandled.
 */
export function withTimeout<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CacheTimeoutError(`${what} timed out after ${ms} ms`)), ms);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
