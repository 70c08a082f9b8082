/** A store call that did not answer within the cache's budget. */
export class CacheTimeoutError extends Error {
  override name = 'CacheTimeoutError';
}

/**
 * Settles with `call()` or rejects with {@link CacheTimeoutError} after `ms`, whichever comes first. A synchronous
 * throw becomes a rejection, and the abandoned promise keeps a handler, so a late failure is never unhandled.
 *
 * "After `ms`" means after the answer could have been read: an event loop runs expired timers before it reads the
 * sockets, so in a busy process the timer of a reply already waiting in the socket would fire first, and a cache
 * answering in a millisecond would count as timed out (and every read fall back to the database, making the process
 * busier still). The deadline is therefore checked once more after the loop's next poll for I/O (setImmediate).
 */
export function withTimeout<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (!settled) reject(new CacheTimeoutError(`${what} timed out after ${ms} ms`));
        }),
      ms,
    );
    pending.then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
