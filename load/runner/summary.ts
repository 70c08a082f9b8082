import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TCpuReport } from './cpu';
import type { TPoolResult } from './pgbouncer';
import { describeStages, formatDuration, peakWindow, type TRunPlan } from './scenarios';
import { cacheHitRate, errorCount, rateWithin, recoverySeconds, shedCount, sortedCopy, summarize, type Recorder, type TTrendSummary } from './stats';
import { evaluateThresholds, KNOWN_METRICS, type TMetric, type TThresholdResult } from './thresholds';

export interface TRunMeta {
  runId: string;
  url: string;
  /** True when the runner started the services process itself. */
  managedServices: boolean;
  /** Where the scenario came from, relative to the repository (load/scenarios.json unless --scenarios). */
  scenariosFile: string;
  startedAt: string;
  seconds: number;
  peakVus: number;
  machine: { cores: number; cpu: string; node: string };
}

export interface TProcedureSummary {
  procedure: string;
  requests: number;
  errors: number;
  shed: number;
  latency: TTrendSummary;
  cache: { hits: number; reads: number; rate: number | null };
}

export type TLoadSummary = ReturnType<typeof buildSummary>;

/** When the target finished falling after the peak (seconds from the start), or null when the run ends at its peak. */
function dropAfter(stages: readonly { seconds: number; target: number }[], peakEnd: number): number | null {
  let at = 0;
  let dropped: number | null = null;
  for (const st of stages) {
    at += st.seconds;
    if (at <= peakEnd) continue;
    if (dropped === null || st.target < stages[stages.indexOf(st) - 1]!.target) dropped = at;
    else break;
  }
  return dropped;
}

/** The scenario's p95 latency threshold in ms (`http_req_duration: p(95)<N`), if it has one. */
function p95Threshold(thresholds: Record<string, readonly string[]>): number | null {
  const m = (thresholds.http_req_duration ?? []).map((t) => /^p\(95\)<=?(\d+(?:\.\d+)?)$/.exec(t.replace(/\s+/g, ''))).find(Boolean);
  return m ? Number(m[1]) : null;
}

export function buildSummary(plan: TRunPlan, meta: TRunMeta, rec: Recorder, pgbouncer: TPoolResult, cpu: TCpuReport | null, startedAtMs = 0) {
  const all = sortedCopy(rec.allLatencies());
  const t = rec.totals;
  const errors = errorCount(t);
  const shed = shedCount(t);
  const served = sortedCopy(rec.served);
  const cache = cacheHitRate(rec.cache);
  let checkPasses = 0;
  let checkFails = 0;
  for (const c of rec.checks.values()) {
    checkPasses += c.passes;
    checkFails += c.fails;
  }
  const metrics: Record<string, TMetric> = {
    http_req_duration: { type: 'trend', sorted: all },
    http_req_failed: { type: 'rate', passes: errors, total: t.total },
    cache_hits: { type: 'rate', passes: cache.hits, total: cache.reads },
    checks: { type: 'rate', passes: checkPasses, total: checkPasses + checkFails },
    http_reqs: { type: 'counter', count: t.total, seconds: meta.seconds },
    iterations: { type: 'counter', count: rec.iterations, seconds: meta.seconds },
    http_429: { type: 'counter', count: t.throttled429, seconds: meta.seconds },
    http_503: { type: 'counter', count: t.unavailable503, seconds: meta.seconds },
    http_req_shed: { type: 'rate', passes: shed, total: t.total },
    served_req_duration: { type: 'trend', sorted: served },
    served_reqs: { type: 'counter', count: served.length, seconds: meta.seconds },
  };
  const thresholds: TThresholdResult[] = evaluateThresholds(plan.thresholds, metrics);
  const procedures: TProcedureSummary[] = [...rec.procedures.entries()]
    .map(([procedure, p]) => ({
      procedure,
      requests: p.counts.total,
      errors: errorCount(p.counts),
      shed: shedCount(p.counts),
      latency: summarize(sortedCopy(p.latencies)),
      cache: cacheHitRate(p.cache),
    }))
    .sort((a, b) => b.requests - a.requests);
  return {
    scenario: plan.scenario,
    variant: plan.variant,
    ...meta,
    plan: {
      stages: plan.stages,
      thinkTimeSeconds: plan.thinkTimeSeconds,
      mix: plan.mix,
      k6: plan.k6,
      scaling: plan.scaling,
    },
    iterations: rec.iterations,
    requests: { total: t.total, perSecond: t.total / meta.seconds },
    latency: summarize(all),
    served: { total: served.length, perSecond: served.length / meta.seconds, latency: summarize(served) },
    peak: (() => {
      const w = peakWindow(plan.stages);
      // Once the peak is over and the ramp down done, how long until answers were normal again (p95 under the
      // scenario's own p95 threshold, or 500 ms, and nothing shed).
      const down = dropAfter(plan.stages, w.to);
      const limit = p95Threshold(plan.thresholds) ?? 500;
      return {
        fromSecond: w.from,
        toSecond: w.to,
        servedPerSecond: rateWithin(rec.servedAt, startedAtMs, w.from, w.to),
        shedPerSecond: rateWithin(rec.shedAt, startedAtMs, w.from, w.to),
        loadDroppedAtSecond: down,
        recoveredAfterSeconds: down === null ? null : recoverySeconds(rec, startedAtMs, down, limit),
        recoveryP95Ms: limit,
      };
    })(),
    shed: { total: shed, rate: t.total ? shed / t.total : 0 },
    procedures,
    errors: {
      total: errors,
      rate: t.total ? errors / t.total : 0,
      client4xx: t.client,
      throttled429: t.throttled429,
      server5xx: t.server,
      unavailable503: t.unavailable503,
      network: t.network,
      examples: [...rec.failures.entries()].map(([key, f]) => ({ key, count: f.count, example: f.example })),
    },
    checks: {
      passes: checkPasses,
      fails: checkFails,
      byName: [...rec.checks.entries()].map(([name, c]) => ({ name, ...c })),
    },
    cache: { ...cache, misses: rec.cache.MISS, errors: rec.cache.ERROR, bypass: rec.cache.BYPASS },
    pgbouncer,
    cpu,
    thresholds,
    passed: thresholds.every((r) => r.passed),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)}ms` : '-');
const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(2)}%`);
const line = (label: string, value: string) => `     ${`${label}`.padEnd(32, '.')}: ${value}`;
const trend = (l: TTrendSummary) => `avg=${ms(l.avg)} min=${ms(l.min)} med=${ms(l.p50)} p(90)=${ms(l.p90)} p(95)=${ms(l.p95)} p(99)=${ms(l.p99)} max=${ms(l.max)}`;

function formatValue(r: TThresholdResult): string {
  if (r.value === null) return 'no samples';
  const type = KNOWN_METRICS[r.metric];
  return type === 'trend' ? ms(r.value) : type === 'rate' ? pct(r.value) : r.value.toFixed(2);
}

/** The end-of-test summary in k6's layout, plus per-procedure lines, PgBouncer, and the scaling this run used. */
export function formatSummary(s: TLoadSummary): string {
  const out: string[] = [];
  const { scaling, k6 } = s.plan;
  out.push('', `  scenario: ${s.scenario}${s.variant === 'quick' ? ' (quick)' : ''}, run ${s.runId} against ${s.url}${s.managedServices ? ' (services started by the runner)' : ''}`);
  if (s.scenariosFile !== 'load/scenarios.json') out.push(`  scenario definitions from ${s.scenariosFile} (not load/scenarios.json)`);
  out.push(`  stages: ${describeStages(s.plan.stages)}; think time ${s.plan.thinkTimeSeconds[0]}-${s.plan.thinkTimeSeconds[1]} s per iteration`);
  out.push(
    `  scaled for this machine (${s.machine.cores} cores shared by the load generator and the server, ${s.machine.cpu}, Node ${s.machine.node}):`,
    `    k6 plan ${k6.peakVus} VUs over ${formatDuration(k6.seconds)} (${describeStages(k6.stages)}) -> here ${s.peakVus} VUs over ${formatDuration(s.plan.stages.reduce((a, st) => a + st.seconds, 0))}:`,
    `    VUs x${scaling.vuFactor.toFixed(3)}, duration x${scaling.durationFactor.toFixed(3)}${scaling.overrides.length ? ` (overrides: ${scaling.overrides.join(' ')})` : ''}; same mix, think time and thresholds.`,
    `    Absolute latencies here include CPU contention with the generator; compare runs on the same machine, not with a k6 run.`,
  );
  if (s.cpu) {
    const c = s.cpu;
    const p = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)}%`);
    out.push(
      `  CPU during the run (100% = one core, ${c.cores * 100}% = the machine): busy ${p(c.machineBusyPct)}; this runner ${p(c.runnerPct)}, ${c.servicesPct === null ? '' : `services ${p(c.servicesPct)}, `}Postgres+PgBouncer+Redis ${p(c.stackPct)}, other processes${c.servicesPct === null ? ' (the services among them: --url)' : ''} ${p(c.otherPct)}`,
    );
  }
  out.push('');
  out.push('  █ THRESHOLDS', '');
  for (const r of s.thresholds) out.push(`    ${r.passed ? '✓' : '✗'} ${r.name.padEnd(36)} measured ${formatValue(r)}`);
  out.push('', '  █ TOTAL RESULTS', '');
  out.push(line('checks', `${pct(s.checks.passes / Math.max(1, s.checks.passes + s.checks.fails))} ✓ ${s.checks.passes} ✗ ${s.checks.fails}`));
  for (const c of s.checks.byName.filter((c) => c.fails > 0)) out.push(`       ✗ ${c.name}: ${c.fails} of ${c.passes + c.fails} failed`);
  out.push(line('http_req_duration', trend(s.latency)));
  out.push(line('http_req_failed', `${pct(s.errors.rate)} (${s.errors.total} of ${s.requests.total}: 4xx ${s.errors.client4xx}, 5xx but 503 ${s.errors.server5xx}, no response ${s.errors.network})`));
  out.push(line('http_req_shed', `${pct(s.shed.rate)} (${s.shed.total} of ${s.requests.total} refused with Retry-After: 429 ${s.errors.throttled429}, 503 ${s.errors.unavailable503})`));
  out.push(line('served_req_duration', trend(s.served.latency)));
  for (const e of s.errors.examples.slice(0, 8)) out.push(`       ${e.key} x${e.count}: ${e.example}`);
  out.push(line('http_reqs', `${s.requests.total} ${s.requests.perSecond.toFixed(1)}/s (served ${s.served.total} ${s.served.perSecond.toFixed(1)}/s)`));
  if (s.peak.toSecond > s.peak.fromSecond) {
    out.push(line('  at the peak', `${s.peakVus} VUs from ${s.peak.fromSecond}s to ${s.peak.toSecond}s: served ${s.peak.servedPerSecond.toFixed(1)}/s, shed ${s.peak.shedPerSecond.toFixed(1)}/s`));
    if (s.peak.loadDroppedAtSecond !== null) {
      const r = s.peak.recoveredAfterSeconds;
      out.push(line('  after the peak', `load down at ${s.peak.loadDroppedAtSecond}s; answering normally (p95 < ${s.peak.recoveryP95Ms}ms, nothing shed) ${r === null ? 'never, by the end of the run' : `${r}s later`}`));
    }
  }
  out.push(line('iterations', `${s.iterations} ${(s.iterations / s.seconds).toFixed(1)}/s`));
  out.push(line('vus_max', String(s.peakVus)));
  out.push(line('duration', `${s.seconds.toFixed(1)}s`));
  out.push(line('cache_hits', `${pct(s.cache.rate)} ✓ ${s.cache.hits} ✗ ${s.cache.misses + s.cache.errors} (miss ${s.cache.misses}, error ${s.cache.errors}, bypass ${s.cache.bypass})`));
  out.push('', '  █ PER PROCEDURE', '');
  out.push(`    ${'procedure'.padEnd(24)} ${'reqs'.padStart(7)} ${'err'.padStart(5)} ${'shed'.padStart(6)} ${'hit%'.padStart(7)}  ${'avg'.padStart(8)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
  for (const p of s.procedures) {
    const l = p.latency;
    out.push(
      `    ${p.procedure.padEnd(24)} ${String(p.requests).padStart(7)} ${String(p.errors).padStart(5)} ${String(p.shed).padStart(6)} ${(p.cache.rate === null ? '-' : pct(p.cache.rate)).padStart(7)}  ${[l.avg, l.p50, l.p90, l.p95, l.p99, l.max].map((v) => ms(v).padStart(8)).join(' ')}`,
    );
  }
  out.push('', '  █ PGBOUNCER (database dharma; every client of it counts, not only this run)', '');
  if (!s.pgbouncer.ok) out.push(`    not measured: ${s.pgbouncer.reason}`);
  else {
    const p = s.pgbouncer.summary;
    const g = (x: { max: number; avg: number }) => `max ${x.max}, avg ${x.avg.toFixed(1)}`;
    out.push(`    SHOW POOLS x${p.samples}: cl_active ${g(p.clActive)}; cl_waiting ${g(p.clWaiting)}; sv_active ${g(p.svActive)}; sv_idle ${g(p.svIdle)}`);
    out.push(`    client connections per server connection (peak cl_active / peak sv_active): ${p.clientsPerServer === null ? '-' : p.clientsPerServer.toFixed(2)}`);
    out.push(
      `    SHOW STATS delta: ${p.transactions} transactions, ${p.queries} queries; average client wait ${p.avgWaitUsPerTransaction === null ? '-' : `${p.avgWaitUsPerTransaction.toFixed(1)} µs`} per transaction`,
    );
  }
  out.push('', `  ${s.passed ? '✓ all thresholds passed' : `✗ ${s.thresholds.filter((r) => !r.passed).length} of ${s.thresholds.length} thresholds failed`}`, '');
  return out.join('\n');
}

export function writeReport(file: string, summary: TLoadSummary): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
}
