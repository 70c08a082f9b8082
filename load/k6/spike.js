// Spike: a sudden jump from 100 to 10,000 users and back; 429 and 503 are counted apart (http_429, http_503).
// Stages, mix, think time and thresholds: load/scenarios.json ("spike"). Run: k6 run -e BASE_URL=http://localhost:4000 load/k6/spike.js
import { buildOptions, iteration, setupRun, teardownRun } from './lib.js';

export const options = buildOptions('spike');

export function setup() {
  return setupRun();
}

export default function (data) {
  iteration('spike', data);
}

export function teardown(data) {
  teardownRun(data);
}
