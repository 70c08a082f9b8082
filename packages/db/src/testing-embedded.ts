import { existsSync, lstatSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SHARED_ROOT } from './embedded-access';

/**
 * For tests that start an embedded Postgres as root: remembers which of the shared folders (embedded-access.ts)
 * existed, so cleanup removes the clusters a test's data folders link to and every shared folder the test created.
 */
export function trackSharedRoot() {
  const top = '/var/lib/iac-dharma';
  const added = !existsSync(top) ? [top] : !existsSync(SHARED_ROOT) ? [SHARED_ROOT] : [`${SHARED_ROOT}/bin`, `${SHARED_ROOT}/clusters`].filter((d) => !existsSync(d));
  return {
    cleanup(clusterLinks: string[]) {
      for (const link of clusterLinks) {
        const st = existsSync(dirname(link)) ? lstatSync(link, { throwIfNoEntry: false }) : undefined;
        if (!st?.isSymbolicLink()) continue;
        const target = resolve(dirname(link), readlinkSync(link));
        if (target.startsWith(`${SHARED_ROOT}/clusters/`)) rmSync(target, { recursive: true, force: true });
      }
      for (const dir of added) rmSync(dir, { recursive: true, force: true });
    },
  };
}
