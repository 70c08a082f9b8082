/** The httpOnly cookie holding the services access token. The browser's scripts never read it. */
export const SESSION_COOKIE = 'dharma_token';

/** Only same-site paths are accepted as a post-sign-in destination (no `//host` or absolute URLs). */
export function safeNextPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/blueprints';
}
