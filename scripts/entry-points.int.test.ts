import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The command-line entry points as a user runs them (`npm run -s <script>` from the repo root), with an environment
 * built from scratch: vitest's own (the stack's URLs, NODE_ENV=test) must not leak in.
 */
const root = resolve(import.meta.dirname, '..');

function npmRun(args: string[], env: Record<string, string>, cwd = root) {
  const r = spawnSync('npm', ['run', '-s', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', npm_config_update_notifier: 'false', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return { status: r.status, lines, output: `${r.stdout}${r.stderr}` };
}

const STACK_TRACE = /^\s+at .+[:(]/m;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm run dev beyond its environment', () => {
  it('warns that the development sign-in is reachable from the network when WEB_HOST opens the console, and reports a database it cannot reach in one paragraph', async () => {
    const port = await closedPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'dharma-dev-data-'));
    try {
      const url = `postgres://app_owner:pw@127.0.0.1:${port}/dharma`;
      const r = npmRun(['dev'], { WEB_HOST: '0.0.0.0', DATABASE_URL: url, DATABASE_OWNER_URL: url, DATA_DIR: dataDir });
      expect(r.status).toBe(1);
      expect(r.output).not.toMatch(STACK_TRACE);
      expect(r.lines).toContainEqual(expect.stringMatching(/^\[dev\] WARNING: listening beyond this machine: the console on 0\.0\.0\.0:3000 \(WEB_HOST\)\. The development sign-in is on/));
      expect(r.lines).toContain(`[dev] could not prepare the database: cannot connect to 127.0.0.1:${port} (connection refused): is the server running, and is the URL's port right?`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('entry points: a bad environment is one line per variable, never a stack trace', () => {
  it('DATABASE_OWNER_URL=nope npm run -s db:migrate names DATABASE_OWNER_URL in one line and exits 1', () => {
    const r = npmRun(['db:migrate'], { DATABASE_OWNER_URL: 'nope' });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual(['db:migrate: DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL']);
  });

  it('db:seed with an unreachable server says so in one line', async () => {
    const port = await closedPort();
    const r = npmRun(['db:seed'], { DATABASE_OWNER_URL: `postgres://app_owner:pw@127.0.0.1:${port}/dharma` });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([`db:seed: cannot connect to 127.0.0.1:${port} (connection refused): is the server running, and is the URL's port right?`]);
  });

  it('db:seed refuses an unknown option in one line', () => {
    const r = npmRun(['db:seed', '--', '--scael', '5'], { DATABASE_OWNER_URL: 'postgres://u:p@127.0.0.1:1/d' });
    expect(r.status).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^db:seed: Unknown option '--scael'/);
  });

  it('token names each bad variable on its own line', () => {
    const r = npmRun(['token', '--', '--email', 'ada@acme.test'], { DATABASE_URL: 'mysql://x', AUTH_SECRET: 'short' });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual(['token: DATABASE_URL must be a postgres:// or postgresql:// URL', 'token: AUTH_SECRET must be at least 32 characters']);
  });

  it('dev names each bad variable on its own line before starting anything', () => {
    const r = npmRun(['dev'], { EMBEDDED_PG_PORT: '80', WEB_HOST: 'every interface', DEV_WEB_MODE: 'prod' });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      '[dev] EMBEDDED_PG_PORT must be a port number from 1024 to 65535',
      '[dev] WEB_HOST must be an address to listen on, for example 127.0.0.1 or 0.0.0.0',
      '[dev] DEV_WEB_MODE must be dev or start',
    ]);
    expect(r.output).not.toMatch(STACK_TRACE);
  });
});

/**
 * A scratch repository: this repo's package.json and with-stack-env.sh, its packages and node_modules linked, and a
 * .stack/env of the test's own that points at a closed port. So the commands can be seen reading the file without
 * touching the shared database (a real `db:migrate` there would apply whatever migrations sit in the working tree).
 */
function scratchRepo(stackEnv: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dharma-stack-env-'));
  copyFileSync(resolve(root, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(resolve(root, 'scripts/with-stack-env.sh'), join(dir, 'scripts/with-stack-env.sh'));
  symlinkSync(resolve(root, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(resolve(root, 'packages'), join(dir, 'packages'));
  mkdirSync(join(dir, '.stack'));
  writeFileSync(join(dir, '.stack/env'), stackEnv);
  return dir;
}

describe('db:migrate and db:seed find the local stack by themselves (.stack/env), exported variables first', () => {
  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('use the URL in .stack/env when nothing is exported, as the README’s local stack steps do', async () => {
    const port = await closedPort();
    const dir = scratchRepo(`DATABASE_OWNER_URL=postgres://app_owner:pw@127.0.0.1:${port}/dharma\n`);
    scratch.push(dir);
    const refused = `cannot connect to 127.0.0.1:${port} (connection refused): is the server running, and is the URL's port right?`;
    const migrate = npmRun(['db:migrate'], {}, dir);
    expect(migrate.lines).toEqual([`db:migrate: ${refused}`]);
    expect(migrate.status).toBe(1);
    const seed = npmRun(['db:seed'], {}, dir);
    expect(seed.lines).toEqual([`db:seed: ${refused}`]);
    expect(seed.status).toBe(1);
  });

  it('let an exported variable win over .stack/env', () => {
    const dir = scratchRepo('DATABASE_OWNER_URL=postgres://app_owner:pw@127.0.0.1:1/dharma\n');
    scratch.push(dir);
    const r = npmRun(['db:migrate'], { DATABASE_OWNER_URL: 'nope' }, dir);
    expect(r.lines).toEqual(['db:migrate: DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL']);
    expect(r.status).toBe(1);
  });
});
