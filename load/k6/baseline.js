// Baseline: 100 users, read-heavy mix, 5 minutes steady after the ramp.
// Stages, mix, think time and thresholds: load/scenarios.json ("baseline"). Run: k6 run -e BASE_URL=http://localhost:4000 load/k6/baseline.js
import { buildOptions, iteration, setupRun, teardownRun } from './lib.js';

export const options = buildOptions('baseline');

export function setup() {
  return setupRun();
}

export default function (data) {
  iteration('baseline', data);
}

export function teardown(data) {
  teardownRun(data);
}
