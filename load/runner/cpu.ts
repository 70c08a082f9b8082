import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * Where the machine's CPU went during the run: this runner, the services process tree it started, and everything
 * else. Client and server share the cores, and other work on the machine moves latencies more than anything this
 * tool does, so every summary says how busy the machine was. Linux only (/proc); elsewhere it reports nothing.
 */
/** Pids from the stack's pidfiles (first line of each); missing files are skipped. */
export function pidsFromFiles(files: readonly string[]): number[] {
  const pids: number[] = [];
  for (const file of files) {
    try {
      const pid = Number((readFileSync(file, 'utf8').split('\n')[0] ?? '').trim());
      if (Number.isInteger(pid) && pid > 0) pids.push(pid);
    } catch {
      // not running or not ours to read
    }
  }
  return pids;
}

export interface TCpuReport {
  cores: number;
  seconds: number;
  /** Percent of one core, averaged over the run (200 = two cores fully busy). */
  machineBusyPct: number;
  runnerPct: number;
  servicesPct: number | null;
  /** Postgres, PgBouncer and Redis (shared: other users of the stack count here too). */
  stackPct: number | null;
  /** Everything else on the machine: other people's builds, tests and browsers. */
  otherPct: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** utime + stime of each group of processes (each root and all its descendants); tsx runs the server in a child. */
export function treeTicks(groups: readonly (readonly number[])[]): number[] {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(rest[1]));
      ticks.set(Number(entry), Number(rest[11]) + Number(rest[12]));
    } catch {
      // the process ended while we looked
    }
  }
  return groups.map((roots) => {
    const inTree = new Set(roots);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [child, parent] of parents) {
        if (inTree.has(parent) && !inTree.has(child)) {
          inTree.add(child);
          grew = true;
        }
      }
    }
    let sum = 0;
    for (const p of inTree) sum += ticks.get(p) ?? 0;
    return sum;
  });
}

/**
 * `servicesPid`: the services process the runner started (none with --url). `stackPids`: Postgres, PgBouncer and
 * Redis, which serve this run and anyone else using the stack at the same time.
 */
export function startCpuMeter(servicesPid: number | undefined, stackPids: readonly number[]): { stop(): TCpuReport | null } {
  const started = performance.now();
  const machine0 = machineTicks();
  const runner0 = process.cpuUsage();
  const groups = [servicesPid === undefined ? [] : [servicesPid], [...stackPids]];
  let before: number[] | null = null;
  try {
    before = treeTicks(groups);
  } catch {
    before = null;
  }
  return {
    stop() {
      const machine1 = machineTicks();
      if (!machine0 || !machine1 || machine1.total === machine0.total) return null;
      const seconds = (performance.now() - started) / 1000;
      const cores = cpus().length;
      const machineBusyPct = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * cores * 100;
      const r = process.cpuUsage(runner0);
      const runnerPct = ((r.user + r.system) / 1e6 / seconds) * 100;
      let after: number[] | null = null;
      try {
        after = before ? treeTicks(groups) : null;
      } catch {
        after = null;
      }
      const pctOf = (i: number) => (before && after ? (((after[i] ?? 0) - (before[i] ?? 0)) / TICKS_PER_SECOND / seconds) * 100 : null);
      const servicesPct = servicesPid === undefined ? null : pctOf(0);
      const stackPct = stackPids.length === 0 ? null : pctOf(1);
      return { cores, seconds, machineBusyPct, runnerPct, servicesPct, stackPct, otherPct: Math.max(0, machineBusyPct - runnerPct - (servicesPct ?? 0) - (stackPct ?? 0)) };
    },
  };
}
