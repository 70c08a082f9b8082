/**
 * The console session's cookie (Auth.js's JWT session; `__Secure-` when cookies are secure; `.0`, `.1` when chunked).
 * The browser's scripts never read it.
 */
export const SESSION_COOKIE_NAMES = ['authjs.session-token', '__Secure-authjs.session-token'] as const;

export function hasSessionCookie(names: Iterable<string>): boolean {
  for (const name of names) if (SESSION_COOKIE_NAMES.some((base) => name === base || name.startsWith(`${base}.`))) return true;
  return false;
}

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
