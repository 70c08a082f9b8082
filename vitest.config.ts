import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Integration tests run against the local stack; its URLs come from `.stack/env` unless already exported. */
function stackEnv(): Record<string, string> {
  const file = new URL('./.stack/env', import.meta.url);
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m && process.env[m[1]!] === undefined) out[m[1]!] = m[2]!;
  }
  return out;
}

const exclude = ['**/node_modules/**', '**/.next/**', '**/e2e/**', '**/.stack/**', '**/.data/**'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['{apps,packages,load,scripts,infra}/**/*.test.ts'], exclude: [...exclude, '**/*.int.test.ts'] } },
      {
        test: {
          name: 'int',
          include: ['{apps,packages,load,scripts,infra}/**/*.int.test.ts'],
          exclude,
          env: stackEnv(),
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Suites share one database and one PgBouncer; running files one at a time keeps pool figures meaningful.
          fileParallelism: false,
        },
      },
    ],
  },
});
