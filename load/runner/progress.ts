import { errorCount, shedCount, type Recorder } from './stats';

export interface TProgressSource {
  elapsedSeconds: number;
  totalSeconds: number;
  running: number;
  target: number;
}

export function progressLine(src: TProgressSource, rec: Recorder, reqsLastSecond: number): string {
  const p95 = rec.live.percentile(95);
  const elapsed = Math.min(src.elapsedSeconds, src.totalSeconds);
  return [
    `${elapsed.toFixed(0).padStart(4)}s/${src.totalSeconds.toFixed(0)}s`,
    `VUs ${String(src.running).padStart(4)}/${src.target}`,
    `${reqsLastSecond.toFixed(0).padStart(5)} req/s`,
    `reqs ${rec.totals.total}`,
    `errors ${errorCount(rec.totals)}`,
    `shed ${shedCount(rec.totals)}`,
    `p95 ${Number.isFinite(p95) ? p95.toFixed(1) : '-'} ms`,
  ].join('  ');
}

/**
 * While the run lasts: on a terminal one line rewritten every second; otherwise (CI logs) a plain line every
 * 5 s, so logs stay readable. Rates are over the last interval, p95 over the run so far (±2 %, see LiveHistogram).
 */
export function startProgress(src: TProgressSource, rec: Recorder, stream: NodeJS.WriteStream = process.stderr): { stop(): void } {
  const tty = stream.isTTY === true;
  const everyMs = tty ? 1000 : 5000;
  let lastCount = rec.totals.total;
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const rate = ((rec.totals.total - lastCount) * 1000) / (now - lastAt);
    lastCount = rec.totals.total;
    lastAt = now;
    const text = progressLine(src, rec, rate);
    if (tty) stream.write(`\r\x1b[K${text}`);
    else stream.write(`${text}\n`);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
