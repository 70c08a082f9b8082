import { describe, expect, it } from 'vitest';
import { sharedClusterDir, SHARED_ROOT } from './embedded-access';
import { problemLines } from './embedded';

describe('embedded postgres', () => {
  it('keys a relocated cluster by the clone path, so two clones never share one', () => {
    const a = sharedClusterDir('/root/a/.data/postgres');
    expect(a).toMatch(new RegExp(`^${SHARED_ROOT}/clusters/[0-9a-f]{16}$`));
    expect(sharedClusterDir('/root/a/.data/postgres')).toBe(a);
    expect(sharedClusterDir('/root/b/.data/postgres')).not.toBe(a);
  });

  it('reports the server’s failure lines without timestamps, hints or warnings', () => {
    const log = [
      '2026-12-02 00:41:48.280 UTC [12623] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
      '2026-12-02 00:41:48.280 UTC [12623] HINT:  Is another postmaster already running on port 47312?',
      '2026-12-02 00:41:48.280 UTC [12623] WARNING:  could not create listen socket for "127.0.0.1"',
      '2026-12-02 00:41:48.280 UTC [12623] FATAL:  could not create any TCP/IP sockets',
      '',
    ].join('\n');
    expect(problemLines(log)).toBe('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use; FATAL:  could not create any TCP/IP sockets');
  });
});
