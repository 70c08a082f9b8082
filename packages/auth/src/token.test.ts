import { createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { signAccessToken, TokenError, verifyAccessToken } from './token';

const secret = 'test-secret-test-secret-test-secret-0123';
const claims = {
  sub: '5b2f7a8e-1c1d-4f7e-9a55-0d6f6f0c1a01',
  tid: '9c0e4f33-2f6b-4a8e-8f1e-3b1c9d7e5a02',
  email: 'ada@acme.test',
  name: 'Ada',
};

const reason = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof TokenError ? e.reason : 'other'));

describe('access tokens', () => {
  it('round-trips the claims', async () => {
    const token = await signAccessToken(claims, secret);
    const out = await verifyAccessToken(token, secret);
    expect(out).toMatchObject(claims);
    expect(out.exp).toBeGreaterThan(Date.now() / 1000);
  });
  it('rejects a token signed with another secret', async () => {
    const token = await signAccessToken(claims, 'another-secret-another-secret-0123456');
    expect(await reason(verifyAccessToken(token, secret))).toBe('invalid');
  });
  it('rejects an expired token', async () => {
    const token = await signAccessToken(claims, secret, -10);
    expect(await reason(verifyAccessToken(token, secret))).toBe('expired');
  });
  it('rejects garbage and an empty token', async () => {
    expect(await reason(verifyAccessToken('not.a.jwt', secret))).toBe('malformed');
    expect(await reason(verifyAccessToken('', secret))).toBe('missing');
  });
  it('rejects a correctly signed token with the wrong audience or a subject that is not a user id', async () => {
    const sign = (aud: string) => createSigner({ key: secret, algorithm: 'HS256', iss: 'iac-dharma', aud, expiresIn: 3_600_000 });
    expect(await reason(verifyAccessToken(sign('someone-else')({ ...claims }), secret))).toBe('invalid');
    expect(await reason(verifyAccessToken(sign('dharma-services')({ ...claims, sub: 'root' }), secret))).toBe('malformed');
    const wrongIssuer = createSigner({ key: secret, algorithm: 'HS256', iss: 'elsewhere', aud: 'dharma-services', expiresIn: 3_600_000 });
    expect(await reason(verifyAccessToken(wrongIssuer({ ...claims }), secret))).toBe('invalid');
  });
  it('rejects a token whose algorithm is not HS256, including an unsigned one', async () => {
    const [header, payload] = (await signAccessToken(claims, secret)).split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await reason(verifyAccessToken(`${none}.${payload}.`, secret))).not.toBe('ok');
    expect(await reason(verifyAccessToken(`${header}.${payload}.`, secret))).not.toBe('ok');
  });
});
