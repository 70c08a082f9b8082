import { describe, expect, it } from 'vitest';
import { signAccessToken } from '@dharma/auth/token';
import { renewed } from './session-renewal';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const ME = { sub: '00000000-0000-4000-8000-000000000001', tid: '00000000-0000-4000-8000-00000000000a', email: 'me@x.test', name: 'Me' };

describe('renewed: what a session update may change', () => {
  it('takes a newer services token for the same person and tenant', async () => {
    const session = { sub: ME.sub, tid: ME.tid, svc: 'old', svcExp: Math.floor(Date.now() / 1000) + 60 };
    const svc = await signAccessToken(ME, SECRET, 3600);
    expect(await renewed(session, { svc }, SECRET)).toMatchObject({ svc, svcExp: expect.any(Number) as number });
  });

  it('refuses anything else, leaving the session as it was', async () => {
    const session = { sub: ME.sub, tid: ME.tid, svc: 'old', svcExp: Math.floor(Date.now() / 1000) + 600 };
    const cases: unknown[] = [
      null,
      { svc: 42 },
      { svc: 'not-a-token' },
      { svc: await signAccessToken(ME, 'another-secret-that-is-long-enough-for-hs256', 3600) },
      { svc: await signAccessToken({ ...ME, sub: '00000000-0000-4000-8000-000000000002' }, SECRET, 3600) },
      { svc: await signAccessToken({ ...ME, tid: '00000000-0000-4000-8000-00000000000b' }, SECRET, 3600) },
      { svc: await signAccessToken(ME, SECRET, 60) },
    ];
    for (const update of cases) expect(await renewed(session, update, SECRET)).toBe(session);
  });
});
