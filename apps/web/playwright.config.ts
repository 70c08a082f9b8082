import { defineConfig, devices } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end: real Chromium against the real services and the production build of the console.
 * The caller exports the stack's variables first (`set -a && . .stack/env && set +a`): DATABASE_URL, REDIS_URL,
 * PGBOUNCER_ADMIN_URL, AUTH_SECRET. No retries: a flaky test gets fixed, not retried green.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES_PORT = 4100;
const WEB_PORT = 3100;
const IDP_PORT = 4610;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${WEB_PORT}`,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      name: 'idp',
      command: 'npx tsx scripts/dev-idp.ts',
      cwd: repoRoot,
      env: { DEV_IDP_PORT: String(IDP_PORT), DEV_IDP_WEB_ORIGINS: `http://localhost:${WEB_PORT}`, DEV_IDP_FAULTS: 'true' },
      url: `http://127.0.0.1:${IDP_PORT}/healthz`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      name: 'services',
      command: 'npx tsx apps/services/src/server.ts',
      cwd: repoRoot,
      env: { DEV_LOGIN: 'true', SERVICES_PORT: String(SERVICES_PORT), CONSOLE_URL: `http://localhost:${WEB_PORT}` },
      url: `http://127.0.0.1:${SERVICES_PORT}/readyz`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    {
      name: 'web',
      command: 'npm run build -w @dharma/web && npm run start -w @dharma/web',
      cwd: repoRoot,
      env: { WEB_PORT: String(WEB_PORT), SERVICES_URL: `http://127.0.0.1:${SERVICES_PORT}`, NEXT_TELEMETRY_DISABLED: '1' },
      url: `http://localhost:${WEB_PORT}/signin`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
  ],
});
