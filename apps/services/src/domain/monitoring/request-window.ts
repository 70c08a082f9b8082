/** Upper bounds (ms) of the latency buckets; the last bucket is open-ended. */
const BOUNDS_MS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

interface TSecond {
  at: number;
  count: number;
  serverErrors: number;
  clientErrors: number;
  buckets: number[];
}

export interface TRequestWindowSnapshot {
  windowSeconds: number;
  perSecond: number;
  /** Upper bound of the latency bucket holding the 95th percentile; null with no requests. */
  p95Ms: number | null;
  /** Share of requests that failed on the server (INTERNAL_SERVER_ERROR and the like). */
  serverErrorRate: number | null;
  /** Share of requests refused as the caller's mistake (4xx). */
  clientErrorRate: number | null;
}

/**
 * Request rate, p95 latency and error rates over the last few seconds, kept by the process itself so the console
 * can chart them with no Prometheus installed. One slot per second in a ring; constant memory.
 */
export function createRequestWindow({ slots = 60, now = () => Date.now() }: { slots?: number; now?: () => number } = {}) {
  const ring: TSecond[] = Array.from({ length: slots }, () => ({ at: -1, count: 0, serverErrors: 0, clientErrors: 0, buckets: new Array<number>(BOUNDS_MS.length + 1).fill(0) }));
  const slotFor = (second: number) => {
    const slot = ring[second % slots]!;
    if (slot.at !== second) {
      slot.at = second;
      slot.count = 0;
      slot.serverErrors = 0;
      slot.clientErrors = 0;
      slot.buckets.fill(0);
    }
    return slot;
  };
  return {
    record(durationMs: number, outcome: 'ok' | 'client_error' | 'server_error') {
      const slot = slotFor(Math.floor(now() / 1000));
      slot.count += 1;
      if (outcome === 'server_error') slot.serverErrors += 1;
      if (outcome === 'client_error') slot.clientErrors += 1;
      let i = BOUNDS_MS.findIndex((b) => durationMs <= b);
      if (i < 0) i = BOUNDS_MS.length;
      slot.buckets[i]! += 1;
    },
    /** The last `windowSeconds` complete seconds (the current, partial second is left out). */
    snapshot(windowSeconds = 10): TRequestWindowSnapshot {
      const current = Math.floor(now() / 1000);
      const seconds = Math.min(windowSeconds, slots - 1);
      let count = 0;
      let serverErrors = 0;
      let clientErrors = 0;
      const buckets = new Array<number>(BOUNDS_MS.length + 1).fill(0);
      for (let s = current - seconds; s < current; s++) {
        const slot = ring[((s % slots) + slots) % slots]!;
        if (slot.at !== s) continue;
        count += slot.count;
        serverErrors += slot.serverErrors;
        clientErrors += slot.clientErrors;
        slot.buckets.forEach((n, i) => (buckets[i]! += n));
      }
      let p95Ms: number | null = null;
      if (count > 0) {
        const rank = Math.ceil(count * 0.95);
        let seen = 0;
        for (let i = 0; i < buckets.length; i++) {
          seen += buckets[i]!;
          if (seen >= rank) {
            p95Ms = BOUNDS_MS[i] ?? Number.POSITIVE_INFINITY;
            break;
          }
        }
        if (p95Ms === Number.POSITIVE_INFINITY) p95Ms = BOUNDS_MS[BOUNDS_MS.length - 1]! * 2;
      }
      return {
        windowSeconds: seconds,
        perSecond: count / seconds,
        p95Ms,
        serverErrorRate: count > 0 ? serverErrors / count : null,
        clientErrorRate: count > 0 ? clientErrors / count : null,
      };
    },
  };
}

export type TRequestWindow = ReturnType<typeof createRequestWindow>;
