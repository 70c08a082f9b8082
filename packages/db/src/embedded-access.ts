import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * PostgreSQL refuses to run as root, so a root user's embedded server runs as the `postgres` OS user, which must
 * reach both the binaries and the data folder. A clone under a folder only root may enter (Debian's /root is 0700)
 * offers neither; what that user cannot reach is placed here instead. /var/lib, not /tmp: the data must survive a
 * reboot, and /tmp is a tmpfs (or cleaned) on many systems.
 */
export const SHARED_ROOT = '/var/lib/iac-dharma/embedded-postgres';

/** A failure with a message written for the person running the command: what happened and what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface TPostgresIds {
  uid: number;
  gid: number;
}

const idOf = (flag: '-u' | '-g'): number | null => {
  const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const n = Number.parseInt(r.stdout ?? '', 10);
  return r.status === 0 && Number.isInteger(n) ? n : null;
};

/** The `postgres` user's ids, creating that user (as Debian's postgresql package would) when it is missing. */
export function postgresUserIds(): TPostgresIds {
  let uid = idOf('-u');
  if (uid === null) {
    const groupExists = spawnSync('getent', ['group', 'postgres']).status === 0;
    const r = spawnSync(
      'useradd',
      ['--system', ...(groupExists ? ['--gid', 'postgres'] : ['--user-group']), '--home-dir', '/var/lib/postgresql', '--no-create-home', '--shell', '/bin/bash', 'postgres'],
      { encoding: 'utf8' },
    );
    uid = idOf('-u');
    if (uid === null) {
      const why = (r.stderr || r.error?.message || '').trim();
      throw new EmbeddedPostgresError(
        `PostgreSQL cannot run as root and there is no postgres user to run it as; creating one failed${why ? ` (${why})` : ''}. Create it (useradd --system --user-group postgres), or run npm run dev as a regular user.`,
      );
    }
  }
  const gid = idOf('-g');
  if (gid === null) throw new EmbeddedPostgresError('the postgres user has no group: check it with "id postgres".');
  return { uid, gid };
}

/**
 * Whether the postgres user can reach `path` (`test -x`: enter a folder, run a binary). Asked of the kernel as that
 * user, the way the server will be started (no supplementary groups), so ACLs and mount options count too.
 */
export function postgresCanReach(ids: TPostgresIds, path: string): boolean {
  return spawnSync('test', ['-x', path], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' }).status === 0;
}

/** The outermost folder on the way to `path` that the postgres user cannot enter (for messages). */
function closedFolder(ids: TPostgresIds, path: string): string {
  const parts = resolve(path).split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const folder = `/${parts.slice(0, i).join('/')}`;
    if (!postgresCanReach(ids, folder)) return folder;
  }
  return path;
}

/** Creates `dir` and any missing parents under SHARED_ROOT, each 0755 whatever the umask, so postgres can pass. */
async function ensureOpenDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await chmod(d, 0o755);
  }
}

/** Copies a tree, hard-linking files where the filesystem allows (no space used) and keeping symlinks as they are. */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to);
  await chmod(to, 0o755);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(src, dst);
    else if (entry.isSymbolicLink()) await symlink(await readlink(src), dst);
    else {
      await link(src, dst).catch(async () => {
        await copyFile(src, dst);
        await chmod(dst, (await lstat(src)).mode & 0o777);
      });
    }
  }
}

/**
 * A folder of the platform's binaries that the postgres user can run: the installed one when it is reachable,
 * else a copy shared by every clone on the machine, keyed by package and version (so an upgrade gets its own).
 */
export async function reachableBinaries(ids: TPostgresIds, binaries: { nativeDir: string; key: string }, log: (line: string) => void): Promise<string> {
  const installed = join(binaries.nativeDir, 'bin');
  if (postgresCanReach(ids, join(installed, 'postgres'))) return installed;
  const target = join(SHARED_ROOT, 'bin', binaries.key);
  const shared = join(target, 'bin');
  if (!existsSync(join(shared, 'postgres'))) {
    log(`embedded postgres: the postgres user cannot enter ${closedFolder(ids, installed)}; placing the binaries in ${target}`);
    try {
      await ensureOpenDir(dirname(target));
      // Built aside and renamed into place, so a concurrent launcher never runs a half-copied tree.
      const building = `${target}.tmp-${process.pid}`;
      await rm(building, { recursive: true, force: true });
      await copyTree(binaries.nativeDir, building);
      await rename(building, target).catch(async (e: NodeJS.ErrnoException) => {
        await rm(building, { recursive: true, force: true });
        if (!existsSync(join(shared, 'postgres'))) throw e;
      });
    } catch (error) {
      throw new EmbeddedPostgresError(
        `the postgres user cannot reach the embedded PostgreSQL binaries in ${installed}, and copying them to ${target} failed (${(error as Error).message}). Let that user enter the repository's parent folders (chmod o+x on each), or set DATABASE_URL and DATABASE_OWNER_URL to a PostgreSQL server you run.`,
      );
    }
  }
  if (!postgresCanReach(ids, join(shared, 'postgres'))) {
    throw new EmbeddedPostgresError(`the postgres user cannot run ${join(shared, 'postgres')}: check the permissions of ${SHARED_ROOT} and its parents (each needs o+x).`);
  }
  return shared;
}

/** Where the cluster of the clone folder `dir` lives when postgres cannot reach `dir`: one per path, so clones never share. */
export function sharedClusterDir(dir: string): string {
  return join(SHARED_ROOT, 'clusters', createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16));
}

/**
 * The folder holding the cluster (its `data` subfolder) for `dir`, reachable by the postgres user. When `dir` is
 * not, the cluster lives in sharedClusterDir(dir) and `dir` becomes a symlink to it, so .data still shows where
 * the data is and deleting .data still starts over: a shared cluster that no symlink points to any more has lost
 * its passwords (.data/secrets.json) with it, and is replaced.
 */
export async function reachableClusterDir(ids: TPostgresIds, dir: string, log: (line: string) => void): Promise<string> {
  await mkdir(dirname(dir), { recursive: true });
  const current = await lstat(dir).catch(() => null);
  if (current?.isSymbolicLink()) {
    const target = resolve(dirname(dir), await readlink(dir));
    await ensureOpenDir(target);
    if (postgresCanReach(ids, target)) return target;
    throw new EmbeddedPostgresError(`${dir} points to ${target}, which the postgres user cannot enter: delete ${dir} to start over, or fix the permissions of ${target}.`);
  }
  if (!current) {
    await mkdir(dir);
    await chmod(dir, 0o755);
  }
  if (postgresCanReach(ids, dir)) return dir;

  const shared = sharedClusterDir(dir);
  const hasData = existsSync(join(dir, 'data', 'PG_VERSION'));
  try {
    await rm(shared, { recursive: true, force: true });
    await ensureOpenDir(dirname(shared));
    if (hasData) {
      await rename(dir, shared);
      await chmod(shared, 0o755);
    } else {
      await rm(dir, { recursive: true, force: true });
      await ensureOpenDir(shared);
    }
    await writeFile(join(shared, 'clone.txt'), `embedded PostgreSQL cluster of ${resolve(dir)} (a symlink to this folder)\n`);
    await symlink(shared, dir);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `the postgres user cannot enter ${dir} (a parent folder is closed to other users), and moving the cluster to ${shared} failed (${(error as Error).message}). Let that user enter the repository's parent folders (chmod o+x on each), or set DATABASE_URL and DATABASE_OWNER_URL to a PostgreSQL server you run.`,
    );
  }
  log(`embedded postgres: the postgres user cannot enter ${closedFolder(ids, dir)}, so the cluster lives in ${shared} (${dir} links to it)`);
  return shared;
}
