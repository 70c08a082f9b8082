// Soak: 200 users for 2 hours; thresholds as baseline, watch for drift, leaks and pool exhaustion.
// Stages, mix, think time and thresholds: load/scenarios.json ("soak"). Run: k6 run -e BASE_URL=http://localhost:4000 load/k6/soak.js
import { buildOptions, iteration, setupRun, teardownRun } from './lib.js';

export const options = buildOptions('soak');

export function setup() {
  return setupRun();
}

export default function (data) {
  iteration('soak', data);
}

export function teardown(data) {
  teardownRun(data);
}
