// Stress: ramp to 1,000 users, version saves and diffs added to the mix.
// Stages, mix, think time and thresholds: load/scenarios.json ("stress"). Run: k6 run -e BASE_URL=http://localhost:4000 load/k6/stress.js
import { buildOptions, iteration, setupRun, teardownRun } from './lib.js';

export const options = buildOptions('stress');

export function setup() {
  return setupRun();
}

export default function (data) {
  iteration('stress', data);
}

export function teardown(data) {
  teardownRun(data);
}
