/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** True for the addresses that mean "every interface". */
export function isWildcardHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '';
}

/** How a process on this machine reaches a server listening on `host`. */
export function localUrl(host: string, port: number): string {
  if (isWildcardHost(host)) return `http://127.0.0.1:${port}`;
  const h = host.trim().replace(/^\[|\]$/g, '');
  return h.includes(':') ? `http://[${h}]:${port}` : `http://${h}:${port}`;
}

export interface TExposure {
  webHost: string;
  webPort: number;
  servicesHost: string;
  servicesPort: number;
  devLogin: boolean;
}

/**
 * The warning `npm run dev` prints when it listens beyond loopback, or null when it does not. With the development
 * sign-in on, anyone who reaches the console can sign in as any sample user, the admin included.
 */
export function exposureWarning({ webHost, webPort, servicesHost, servicesPort, devLogin }: TExposure): string | null {
  const open = [
    ...(isLoopbackHost(webHost) ? [] : [`the console on ${webHost}:${webPort} (WEB_HOST)`]),
    ...(isLoopbackHost(servicesHost) ? [] : [`the services on ${servicesHost}:${servicesPort} (SERVICES_HOST)`]),
  ];
  if (open.length === 0) return null;
  const risk = devLogin
    ? 'The development sign-in is on (DEV_LOGIN=true), so anyone who can reach this machine over the network can sign in as any user, the admin included, with no password.'
    : 'Anyone who can reach this machine over the network can reach them.';
  return `WARNING: listening beyond this machine: ${open.join(' and ')}. ${risk} Unset WEB_HOST and SERVICES_HOST (default 127.0.0.1) unless that is what you want.`;
}
