/** The httpOnly cookie holding the services access token. The browser's scripts never read it. */
export const SESSION_COOKIE = 'dharma_token';

/**
 * Only same-site console pages are accepted as a post-sign-in destination: no `//host` or absolute URLs, and not
 * the sign-in page or an API route (a signed-in user sent to /signin is sent on again: a loop).
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/blueprints';
  const path = value.split(/[?#]/, 1)[0]!;
  if (path === '/signin' || path.startsWith('/signin/') || path.startsWith('/api/')) return '/blueprints';
  return value;
}
