import { describe, expect, it } from 'vitest';
import { createMixPicker, seededRandom, STEPS, thinkTimeMs, type TMix, type TStep } from './mix';
import { loadScenarioFile } from './scenarios';

const file = loadScenarioFile();

function shares(mix: TMix, picks: number, seed: number): Record<TStep, number> {
  const pick = createMixPicker(mix, seededRandom(seed));
  const counts = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<TStep, number>;
  for (let i = 0; i < picks; i++) counts[pick()] += 1;
  return Object.fromEntries(STEPS.map((s) => [s, counts[s] / picks])) as Record<TStep, number>;
}

describe('mix picker', () => {
  it.each(Object.entries(file.scenarios))('%s: 10,000 seeded picks land within ±2 %% of each weight', (_, s) => {
    const got = shares(s.mix, 10_000, 42);
    for (const step of STEPS) {
      expect(Math.abs(got[step] - s.mix[step]), `${step}: ${got[step]} vs ${s.mix[step]}`).toBeLessThanOrEqual(0.02);
      if (s.mix[step] === 0) expect(got[step]).toBe(0);
    }
  });

  it('is deterministic for a seed', () => {
    const mix = file.scenarios.stress!.mix;
    const a = createMixPicker(mix, seededRandom(7));
    const b = createMixPicker(mix, seededRandom(7));
    expect(Array.from({ length: 50 }, a)).toEqual(Array.from({ length: 50 }, b));
  });

  it('refuses a mix with nothing to pick', () => {
    const none = Object.fromEntries(STEPS.map((s) => [s, 0])) as TMix;
    expect(() => createMixPicker(none)).toThrow(/positive weight/);
  });

  it('seeded numbers are uniform in [0, 1)', () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(0.5, 1);
  });

  it('think time stays in its range', () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 1000 }, () => thinkTimeMs([1, 3], random));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...values)).toBeLessThanOrEqual(3000);
  });
});
