import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_ROOT } from './embedded-access';
import { EmbeddedPostgresError, startEmbeddedPostgres, type TEmbeddedPostgres } from './embedded';
import { trackSharedRoot } from './testing-embedded';

/** The embedded server from a folder only its owner may enter, as in a root user's clone under /root. */
const closed = mkdtempSync(join(tmpdir(), 'dharma-embedded-'));
chmodSync(closed, 0o700);
const dir = join(closed, '.data', 'postgres');
const shared = trackSharedRoot();
const started: TEmbeddedPostgres[] = [];
const asRoot = process.getuid?.() === 0;

afterAll(async () => {
  for (const pg of started) await pg.stop();
  shared.cleanup([dir]);
  rmSync(closed, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function start(port: number) {
  const pg = await startEmbeddedPostgres({ dir, port, password: 'embedded-test', log: () => {} });
  started.push(pg);
  return pg;
}

async function query<T extends object>(pg: TEmbeddedPostgres, text: string): Promise<T[]> {
  const sql = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe('embedded postgres in a folder other users cannot enter', () => {
  it('starts, keeps its data across restarts, and starts over once the data folder is deleted', async () => {
    if (asRoot) {
      const entered = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', closed]).status;
      expect(entered, 'the postgres user can enter the test folder: the test would prove nothing').not.toBe(0);
    }
    const port = await freePort();
    let pg = await start(port);
    await query(pg, 'create table kept (id int); insert into kept values (42)');
    await pg.stop();

    pg = await start(port);
    expect(await query<{ id: number }>(pg, 'select id from kept')).toEqual([{ id: 42 }]);
    if (asRoot) {
      expect(lstatSync(dir).isSymbolicLink()).toBe(true);
      expect(pg.dataDir.startsWith(`${SHARED_ROOT}/clusters/`)).toBe(true);
    }
    await pg.stop();

    rmSync(join(closed, '.data'), { recursive: true, force: true });
    pg = await start(port);
    expect(await query<{ found: string | null }>(pg, "select to_regclass('kept')::text as found")).toEqual([{ found: null }]);
    await pg.stop();
  });

  it('stops with a message naming a port that is already taken, and leaves no server behind', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as { port: number };
    try {
      const failure = await start(port).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(EmbeddedPostgresError);
      expect((failure as Error).message).toMatch(new RegExp(`^PostgreSQL stopped while starting \\(exit 1\\)\\. Port ${port} on 127\\.0\\.0\\.1 is taken by another program`));
      const left = spawnSync('pgrep', ['-f', `postgres -D .* -p ${port} `]).status;
      expect(left, 'a postgres process is still running on the taken port').toBe(1);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
