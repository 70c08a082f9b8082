import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** scripts/with-stack-env.sh, run from a copy placed in a scratch repo, so its .stack/env is the test's own. */
const scratch = mkdtempSync(join(tmpdir(), 'with-stack-env-'));
mkdirSync(join(scratch, 'scripts'));
copyFileSync(resolve(import.meta.dirname, 'with-stack-env.sh'), join(scratch, 'scripts', 'with-stack-env.sh'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PRINT = 'console.log(JSON.stringify({ a: process.env.DATABASE_OWNER_URL ?? null, b: process.env.REDIS_URL ?? null, c: process.env.ODD ?? null, args: process.argv.slice(1) }))';

function run(env: Record<string, string>, stackEnv: string | null) {
  rmSync(join(scratch, '.stack'), { recursive: true, force: true });
  if (stackEnv !== null) {
    mkdirSync(join(scratch, '.stack'));
    writeFileSync(join(scratch, '.stack', 'env'), stackEnv);
  }
  const out = execFileSync('bash', [join(scratch, 'scripts', 'with-stack-env.sh'), process.execPath, '-e', PRINT, '--', '--scale', '5'], {
    env: { PATH: process.env.PATH, ...env },
    cwd: tmpdir(),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { a: string | null; b: string | null; c: string | null; args: string[] };
}

const STACK = 'DATABASE_OWNER_URL=postgres://app_owner:pw@127.0.0.1:55432/dharma\nREDIS_URL=redis://127.0.0.1:56379\n';

describe('scripts/with-stack-env.sh (db:migrate, db:seed)', () => {
  it('exports the local stack settings when the caller has not set them, and passes the arguments on', () => {
    expect(run({}, STACK)).toEqual({ a: 'postgres://app_owner:pw@127.0.0.1:55432/dharma', b: 'redis://127.0.0.1:56379', c: null, args: ['--scale', '5'] });
  });

  it('lets a variable the caller exported win over the file', () => {
    expect(run({ DATABASE_OWNER_URL: 'nope' }, STACK)).toMatchObject({ a: 'nope', b: 'redis://127.0.0.1:56379' });
  });

  it('changes nothing without a .stack/env', () => {
    expect(run({ REDIS_URL: 'redis://elsewhere:6379' }, null)).toEqual({ a: null, b: 'redis://elsewhere:6379', c: null, args: ['--scale', '5'] });
  });

  it('reads values literally, skipping comments and blank lines', () => {
    expect(run({}, '# comment\n\nODD=a b=c $HOME `x`\nnot a setting\n')).toMatchObject({ a: null, c: 'a b=c $HOME `x`' });
  });
});
