/** The steps a virtual user can take in one iteration, in the order load/k6/lib.js walks them too. */
export const STEPS = ['signIn', 'list', 'listFiltered', 'byId', 'create', 'saveVersion', 'diff', 'health'] as const;
export type TStep = (typeof STEPS)[number];
export type TMix = Record<TStep, number>;

export type TRandom = () => number;

/** mulberry32: a small seeded generator, so tests (and a `--seed`ed run) pick the same sequence every time. */
export function seededRandom(seed: number): TRandom {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Weighted pick over the cumulative weights in STEPS order (the same walk as lib.js), so both runners produce
 * the same distribution. Zero-weight steps are never picked.
 */
export function createMixPicker(mix: TMix, random: TRandom = Math.random): () => TStep {
  const steps = STEPS.filter((s) => mix[s] > 0);
  const total = steps.reduce((sum, s) => sum + mix[s], 0);
  if (steps.length === 0 || total <= 0) throw new Error('the mix has no step with a positive weight');
  const cumulative: number[] = [];
  let acc = 0;
  for (const s of steps) {
    acc += mix[s] / total;
    cumulative.push(acc);
  }
  return () => {
    const r = random();
    for (let i = 0; i < steps.length; i++) if (r < cumulative[i]!) return steps[i]!;
    return steps[steps.length - 1]!;
  };
}

export const mixSum = (mix: TMix): number => STEPS.reduce((sum, s) => sum + mix[s], 0);

/** Uniform think time in milliseconds, like `sleep(min + Math.random() * (max - min))` in k6. */
export const thinkTimeMs = ([min, max]: readonly [number, number], random: TRandom = Math.random): number => (min + random() * (max - min)) * 1000;
