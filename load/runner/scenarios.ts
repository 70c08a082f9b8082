import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { mixSum, type TMix } from './mix';
import { validateThresholds } from './thresholds';

export const scenariosFile = resolve(import.meta.dirname, '../scenarios.json');

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;

/** k6 durations: `30s`, `5m`, `1m30s`, `2h`, `500ms`. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`"${text}" is not a k6 duration (for example 30s, 5m, 1m30s, 2h)`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS], 0);
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', rest || (!h && !m) ? `${rest}s` : ''].join('');
}

const ZDuration = z.string().refine((v) => {
  try {
    return parseDuration(v) > 0;
  } catch {
    return false;
  }
}, 'must be a k6 duration such as 30s, 5m or 1m30s');
const ZStages = z.array(z.object({ duration: ZDuration, target: z.number().int().min(0) }).strict()).min(1, 'needs at least one stage');
const ZWeight = z.number().min(0).max(1);
const ZMix = z
  .object({ signIn: ZWeight, list: ZWeight, listFiltered: ZWeight, byId: ZWeight, create: ZWeight, saveVersion: ZWeight, diff: ZWeight, health: ZWeight })
  .strict()
  .refine((mix) => Math.abs(mixSum(mix) - 1) <= 1e-9, { error: (issue) => `weights must sum to 1 (they sum to ${mixSum(issue.input as TMix)})` });
const ZThresholds = z
  .record(z.string(), z.array(z.string()).min(1))
  .refine((t) => Object.keys(t).length > 0, 'at least one threshold')
  .superRefine((t, ctx) => {
    try {
      validateThresholds(t);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const ZScenario = z
  .object({
    description: z.string().min(1),
    k6: z.object({ stages: ZStages }),
    thinkTimeSeconds: z.tuple([z.number().min(0), z.number().min(0)]).refine(([min, max]) => min <= max, 'min must not exceed max'),
    mix: ZMix,
    thresholds: ZThresholds,
    node: z.object({ stages: ZStages, quick: z.object({ stages: ZStages }) }),
  })
  .strict();

const ZListFilter = z.record(z.string(), z.union([z.string(), z.number()]));
export const ZScenarioFile = z.object({
  $comment: z.array(z.string()).optional(),
  data: z.object({
    tenants: z.array(z.string()).min(1),
    /** Tenants the Node runner makes for a run (with the database owner's URL): users per tenant, projects, samples. */
    provision: z.object({
      usersPerTenant: z.number().int().min(1).max(10_000),
      projectsPerTenant: z.number().int().min(1).max(100),
      blueprintsPerProject: z.number().int().min(0).max(100),
    }),
    writerRoles: z.array(z.string()).min(1),
    /** Archives what a run created at the end: a role allowed to archive any blueprint in its tenant. */
    cleanupRole: z.string(),
    listFilters: z.array(ZListFilter).min(1),
    instanceTypes: z.array(z.string()).min(2),
    blueprintCloud: z.string(),
    graph: z.object({ components: z.array(z.record(z.string(), z.unknown())).min(1), relations: z.array(z.record(z.string(), z.unknown())) }),
  }),
  scenarios: z.record(z.string(), ZScenario).refine((s) => Object.keys(s).length > 0, 'no scenarios'),
});

export type TScenarioFile = z.infer<typeof ZScenarioFile>;
export type TScenario = z.infer<typeof ZScenario>;
export type TScenarioData = TScenarioFile['data'];
export interface TStage {
  seconds: number;
  target: number;
}

export function parseScenarioFile(raw: unknown): TScenarioFile {
  const result = ZScenarioFile.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`load/scenarios.json is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadScenarioFile(file = scenariosFile): TScenarioFile {
  return parseScenarioFile(JSON.parse(readFileSync(file, 'utf8')));
}

const toStages = (stages: readonly { duration: string; target: number }[]): TStage[] => stages.map((s) => ({ seconds: parseDuration(s.duration), target: s.target }));
export const totalSeconds = (stages: readonly TStage[]): number => stages.reduce((sum, s) => sum + s.seconds, 0);
export const peakVus = (stages: readonly TStage[]): number => Math.max(0, ...stages.map((s) => s.target));

/** The longest stretch (seconds from the start) during which the target stays at the peak: the plateau. */
export function peakWindow(stages: readonly TStage[]): { from: number; to: number } {
  const peak = peakVus(stages);
  let best = { from: 0, to: 0 };
  let at = 0;
  let previous = 0;
  let open: number | null = null;
  for (const s of stages) {
    // A stage ramps from the previous target to its own: it holds the peak only when both are the peak.
    if (s.target === peak && previous === peak) open ??= at;
    else if (s.target === peak) open = at + s.seconds;
    else open = null;
    at += s.seconds;
    if (open !== null && at - open > best.to - best.from) best = { from: open, to: at };
    previous = s.target;
  }
  return best;
}

/** VUs wanted `t` seconds into the run: linear between stage targets, starting from 0 (k6 ramping-vus). */
export function vusAt(stages: readonly TStage[], t: number): number {
  let from = 0;
  let start = 0;
  for (const s of stages) {
    if (t < start + s.seconds) return Math.round(from + (s.target - from) * ((t - start) / s.seconds));
    from = s.target;
    start += s.seconds;
  }
  return from;
}

export interface TRunPlan {
  scenario: string;
  variant: 'full' | 'quick';
  stages: TStage[];
  thinkTimeSeconds: [number, number];
  mix: TMix;
  thresholds: Record<string, string[]>;
  /** The k6 plan this run stands in for, and how much smaller it is: reported with every summary. */
  k6: { stages: TStage[]; peakVus: number; seconds: number };
  scaling: { vuFactor: number; durationFactor: number; overrides: string[] };
}

/**
 * The stages this machine runs. `seconds` sets the longest stage held at the peak (the steady part); `vus`
 * scales every target so the peak is `vus`. Mix, think time and thresholds never change.
 */
export function planRun(file: TScenarioFile, name: string, opts: { quick?: boolean; seconds?: number; vus?: number } = {}): TRunPlan {
  const scenario = file.scenarios[name];
  if (!scenario) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(file.scenarios).join(', ')}`);
  let stages = toStages(opts.quick ? scenario.node.quick.stages : scenario.node.stages);
  const overrides: string[] = [];
  if (opts.vus !== undefined) {
    const peak = peakVus(stages);
    stages = stages.map((s) => ({ ...s, target: s.target === 0 ? 0 : Math.max(1, Math.round((s.target * opts.vus!) / peak)) }));
    overrides.push(`--vus ${opts.vus}`);
  }
  if (opts.seconds !== undefined) {
    const peak = peakVus(stages);
    let steady = -1;
    stages.forEach((s, i) => {
      const held = s.target === peak && (i === 0 ? false : stages[i - 1]!.target === peak);
      if (held && (steady < 0 || s.seconds > stages[steady]!.seconds)) steady = i;
    });
    if (steady < 0) steady = stages.reduce((best, s, i) => (s.seconds > stages[best]!.seconds ? i : best), 0);
    stages = stages.map((s, i) => (i === steady ? { ...s, seconds: opts.seconds! } : s));
    overrides.push(`--seconds ${opts.seconds}`);
  }
  const k6Stages = toStages(scenario.k6.stages);
  const k6 = { stages: k6Stages, peakVus: peakVus(k6Stages), seconds: totalSeconds(k6Stages) };
  return {
    scenario: name,
    variant: opts.quick ? 'quick' : 'full',
    stages,
    thinkTimeSeconds: scenario.thinkTimeSeconds,
    mix: scenario.mix,
    thresholds: scenario.thresholds,
    k6,
    scaling: { vuFactor: peakVus(stages) / k6.peakVus, durationFactor: totalSeconds(stages) / k6.seconds, overrides },
  };
}

export const describeStages = (stages: readonly TStage[]): string => stages.map((s) => `${formatDuration(s.seconds)}→${s.target}`).join(', ');
