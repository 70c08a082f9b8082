import { describe, expect, it } from 'vitest';
import { STEPS } from './mix';
import { loadScenarioFile, parseDuration, parseScenarioFile, peakWindow, planRun, totalSeconds, vusAt, type TScenarioFile } from './scenarios';

const file = loadScenarioFile();
const clone = (): TScenarioFile => structuredClone(file);

describe('load/scenarios.json', () => {
  it('defines baseline, stress, spike and soak', () => {
    expect(Object.keys(file.scenarios)).toEqual(expect.arrayContaining(['baseline', 'stress', 'spike', 'soak']));
  });

  it.each(Object.entries(file.scenarios))('%s: stages everywhere, a mix summing to 1, thresholds, think time', (_, s) => {
    for (const stages of [s.k6.stages, s.node.stages, s.node.quick.stages]) {
      expect(stages.length).toBeGreaterThan(0);
      for (const stage of stages) expect(parseDuration(stage.duration)).toBeGreaterThan(0);
    }
    expect(Object.keys(s.mix).sort()).toEqual([...STEPS].sort());
    expect(Math.abs(STEPS.reduce((sum, step) => sum + s.mix[step], 0) - 1)).toBeLessThanOrEqual(1e-9);
    expect(Object.keys(s.thresholds).length).toBeGreaterThan(0);
    expect(s.thresholds.http_req_duration?.length).toBeGreaterThan(0);
    expect(s.thresholds.http_req_failed?.length).toBeGreaterThan(0);
    expect(s.thinkTimeSeconds[0]).toBeLessThanOrEqual(s.thinkTimeSeconds[1]);
  });

  it('carries the thresholds users set (DOMAIN.md), and the v2.0 targets for stress and spike (issue 9)', () => {
    expect(file.scenarios.baseline?.thresholds).toEqual({
      http_req_duration: ['p(95)<100', 'p(99)<200'],
      http_req_failed: ['rate<0.01'],
      cache_hits: ['rate>0.8'],
    });
    expect(file.scenarios.soak?.thresholds).toEqual(file.scenarios.baseline?.thresholds);
    expect(file.scenarios.stress?.thresholds).toEqual({
      http_req_duration: ['p(95)<100'],
      http_req_failed: ['rate<0.01'],
      http_req_shed: ['rate<0.01'],
      cache_hits: ['rate>0.8'],
    });
    expect(file.scenarios.spike?.thresholds).toEqual({
      http_req_duration: ['p(95)<500'],
      served_req_duration: ['p(95)<500'],
      http_req_failed: ['rate<0.01'],
    });
  });

  it('peaks at the user counts of the issue in k6', () => {
    const peak = (name: string) => Math.max(...(file.scenarios[name]?.k6.stages.map((s) => s.target) ?? []));
    expect([peak('baseline'), peak('stress'), peak('spike'), peak('soak')]).toEqual([100, 1000, 10000, 200]);
  });
});

describe('scenario file validation', () => {
  it('rejects a mix that does not sum to 1', () => {
    const bad = clone();
    bad.scenarios.baseline!.mix.list += 0.01;
    expect(() => parseScenarioFile(bad)).toThrow(/scenarios\.baseline\.mix: weights must sum to 1/);
  });

  it('rejects a mix with an unknown step', () => {
    const bad = clone() as unknown as { scenarios: { baseline: { mix: Record<string, number> } } };
    bad.scenarios.baseline.mix.generate = 0;
    expect(() => parseScenarioFile(bad)).toThrow(/mix/);
  });

  it('rejects thresholds the runner cannot evaluate', () => {
    const bad = clone();
    bad.scenarios.baseline!.thresholds = { http_req_waiting: ['p(95)<10'] };
    expect(() => parseScenarioFile(bad)).toThrow(/http_req_waiting/);
    bad.scenarios.baseline!.thresholds = { http_req_failed: ['p(95)<10'] };
    expect(() => parseScenarioFile(bad)).toThrow(/does not apply to a rate/);
  });

  it('rejects missing stages and bad durations', () => {
    const bad = clone();
    bad.scenarios.stress!.k6.stages = [];
    expect(() => parseScenarioFile(bad)).toThrow(/scenarios\.stress\.k6\.stages/);
    const worse = clone();
    worse.scenarios.stress!.node.stages = [{ duration: '5 minutes', target: 1 }];
    expect(() => parseScenarioFile(worse)).toThrow(/k6 duration/);
  });
});

describe('durations and stages', () => {
  it('parses k6 durations', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(() => parseDuration('5')).toThrow();
    expect(() => parseDuration('1m junk')).toThrow();
  });

  it('ramps linearly between stage targets from 0', () => {
    const stages = [
      { seconds: 10, target: 100 },
      { seconds: 60, target: 100 },
      { seconds: 10, target: 0 },
    ];
    expect([0, 5, 10, 40, 75, 80, 90].map((t) => vusAt(stages, t))).toEqual([0, 50, 100, 100, 50, 0, 0]);
    expect(totalSeconds(stages)).toBe(80);
  });
});

describe('planRun', () => {
  it('uses the node stages and reports the scaling from the k6 plan', () => {
    const plan = planRun(file, 'baseline');
    expect(plan.stages).toEqual([
      { seconds: 10, target: 100 },
      { seconds: 60, target: 100 },
    ]);
    expect(plan.k6).toMatchObject({ peakVus: 100, seconds: 390 });
    expect(plan.scaling.vuFactor).toBe(1);
    expect(plan.scaling.durationFactor).toBeCloseTo(70 / 390);
  });

  it('quick uses node.quick; --seconds sets the steady stage, --vus scales every target', () => {
    const quick = planRun(file, 'baseline', { quick: true });
    expect(quick.variant).toBe('quick');
    expect(quick.stages).toEqual([
      { seconds: 5, target: 100 },
      { seconds: 20, target: 100 },
    ]);
    const longer = planRun(file, 'baseline', { seconds: 120, vus: 50 });
    expect(longer.stages).toEqual([
      { seconds: 10, target: 50 },
      { seconds: 120, target: 50 },
    ]);
    expect(longer.scaling.overrides).toEqual(['--vus 50', '--seconds 120']);
    expect(longer.mix).toEqual(file.scenarios.baseline?.mix);
  });

  it('names the scenarios when asked for an unknown one', () => {
    expect(() => planRun(file, 'nope')).toThrow(/baseline/);
  });
});

describe('peakWindow', () => {
  it('is the stretch where the target holds the peak, ramps excluded', () => {
    // spike: ramp to 1000 over 5 s (ends at 15 s), hold 30 s, then back down.
    expect(peakWindow([{ seconds: 10, target: 50 }, { seconds: 5, target: 1000 }, { seconds: 30, target: 1000 }, { seconds: 5, target: 50 }])).toEqual({ from: 15, to: 45 });
    // A stage that starts at the peak continues the plateau.
    expect(peakWindow([{ seconds: 5, target: 10 }, { seconds: 5, target: 10 }, { seconds: 5, target: 0 }])).toEqual({ from: 5, to: 10 });
    // Ramp straight up and down: no plateau.
    expect(peakWindow([{ seconds: 5, target: 10 }, { seconds: 5, target: 0 }])).toEqual({ from: 0, to: 0 });
  });
});
