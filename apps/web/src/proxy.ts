import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { hasSessionCookie } from './lib/session-cookie';

/** Every console page needs a session cookie; without one, go to sign-in and come back afterwards. */
export function proxy(req: NextRequest) {
  if (hasSessionCookie(req.cookies.getAll().map((c) => c.name))) return NextResponse.next();
  const target = req.nextUrl.clone();
  target.pathname = '/signin';
  target.search = '';
  const next = req.nextUrl.pathname + req.nextUrl.search;
  if (next !== '/') target.searchParams.set('next', next);
  return NextResponse.redirect(target);
}

export const config = {
  matcher: ['/((?!signin|api/|_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
