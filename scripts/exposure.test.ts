import { describe, expect, it } from 'vitest';
import { exposureWarning, isLoopbackHost, localUrl } from './exposure';

const base = { webHost: '127.0.0.1', webPort: 3000, servicesHost: '127.0.0.1', servicesPort: 4000, devLogin: true };

describe('npm run dev network exposure', () => {
  it('stays quiet on loopback, the default', () => {
    expect(exposureWarning(base)).toBeNull();
    expect(exposureWarning({ ...base, webHost: 'localhost', servicesHost: '::1' })).toBeNull();
  });

  it('warns that the development sign-in is reachable from the network when WEB_HOST opens the console', () => {
    const warning = exposureWarning({ ...base, webHost: '0.0.0.0' });
    expect(warning).toMatch(/^WARNING: /);
    expect(warning).toContain('the console on 0.0.0.0:3000 (WEB_HOST)');
    expect(warning).toMatch(/development sign-in is on .* anyone who can reach this machine over the network can sign in as any user, the admin included/);
  });

  it('names the services too when SERVICES_HOST opens them, and drops the sign-in warning when DEV_LOGIN is off', () => {
    const warning = exposureWarning({ ...base, servicesHost: '10.0.0.5', devLogin: false });
    expect(warning).toContain('the services on 10.0.0.5:4000 (SERVICES_HOST)');
    expect(warning).not.toContain('WEB_HOST)');
    expect(warning).not.toContain('sign in as any user');
  });

  it('tells loopback from other addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', 'example.test'].some(isLoopbackHost)).toBe(false);
  });

  it('reaches a wildcard listener through loopback and a specific one at its address', () => {
    expect(localUrl('0.0.0.0', 4000)).toBe('http://127.0.0.1:4000');
    expect(localUrl('::', 4000)).toBe('http://127.0.0.1:4000');
    expect(localUrl('10.0.0.5', 4000)).toBe('http://10.0.0.5:4000');
    expect(localUrl('fe80::1', 4000)).toBe('http://[fe80::1]:4000');
  });
});
