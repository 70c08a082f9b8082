import { totalSeconds, vusAt, type TStage } from './scenarios';

export interface TSchedulerOptions {
  stages: TStage[];
  /**
   * Runs one iteration of VU `index` (0-based); errors are the caller's to record, a throw only ends nothing. May
   * resolve to a least pause in ms before the next iteration (a server's Retry-After), which replaces a shorter think time.
   */
  iterate: (index: number) => Promise<number | void>;
  thinkMs: () => number;
  onError?: (error: unknown) => void;
  /** How long in-flight iterations may finish after the last stage before the run stops waiting (k6: gracefulStop). */
  gracefulStopMs?: number;
}

/**
 * k6's ramping-vus executor: VU `i` runs while the target at this moment exceeds `i`. Each VU is an async loop
 * (iteration, then think time); a VU above a falling target finishes its request, skips the rest of its think time
 * and waits to be needed again, keeping its state (its token, its blueprints) as k6 keeps a VU's globals.
 *
 * Think time is what makes this a user simulation rather than autocannon: autocannon keeps every connection
 * saturated (a new request the moment the last one answers), so its "100 connections" is far more load than 100
 * people who read a page before clicking. Here each VU waits `thinkTimeSeconds` between iterations, as in k6.
 */
export class Scheduler {
  target = 0;
  /** VUs in an iteration or its think time right now. */
  running = 0;
  finished = false;
  /** performance.now() when the first stage began. */
  startedAt = performance.now();
  private readonly loops: Promise<void>[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly total: number;

  constructor(private readonly opts: TSchedulerOptions) {
    this.total = totalSeconds(opts.stages);
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  get totalSeconds(): number {
    return this.total;
  }

  /** Resolves once the last stage is over and every VU has stopped (or the graceful stop ran out). */
  async run(): Promise<{ seconds: number; unfinished: number }> {
    this.startedAt = performance.now();
    await new Promise<void>((resolveRun) => {
      const tick = () => {
        const t = this.elapsedSeconds;
        if (t >= this.total) {
          this.finished = true;
          this.target = 0;
          this.notify();
          clearInterval(timer);
          resolveRun();
          return;
        }
        const target = vusAt(this.opts.stages, t);
        if (target !== this.target) {
          this.target = target;
          while (this.loops.length < target) this.loops.push(this.loop(this.loops.length));
          this.notify();
        }
      };
      const timer = setInterval(tick, 100);
      tick();
    });
    let unfinished = 0;
    const graceful = new Promise<void>((r) => setTimeout(r, this.opts.gracefulStopMs ?? 10_000).unref());
    const settled = Promise.all(this.loops).then(() => true);
    if (!(await Promise.race([settled, graceful.then(() => false)]))) unfinished = this.running;
    return { seconds: this.elapsedSeconds, unfinished };
  }

  private active(index: number): boolean {
    return !this.finished && index < this.target;
  }

  private async loop(index: number): Promise<void> {
    while (!this.finished) {
      if (!this.active(index)) {
        await this.until(() => this.finished || this.active(index));
        continue;
      }
      this.running += 1;
      let backoffMs = 0;
      try {
        backoffMs = (await this.opts.iterate(index)) ?? 0;
      } catch (error) {
        this.opts.onError?.(error);
      }
      await this.sleep(index, Math.max(backoffMs, this.opts.thinkMs()));
      this.running -= 1;
    }
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolveWait) => {
      const check = () => {
        if (!condition()) return;
        this.waiters.delete(check);
        resolveWait();
      };
      this.waiters.add(check);
    });
  }

  /** Think time, cut short when the VU is no longer wanted (ramp-down or the end of the run). */
  private sleep(index: number, ms: number): Promise<void> {
    if (!this.active(index)) return Promise.resolve();
    return new Promise((resolveSleep) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolveSleep();
      };
      const check = () => {
        if (!this.active(index)) finish();
      };
      const timer = setTimeout(finish, ms);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
