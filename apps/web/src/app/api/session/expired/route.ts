import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { clearToken } from '../../../../lib/session';
import { safeNextPath } from '../../../../lib/session-cookie';

export const dynamic = 'force-dynamic';

/** The services refused the token (expired or revoked): forget it and ask the user to sign in again. */
export async function GET(req: NextRequest) {
  await clearToken();
  const next = safeNextPath(req.nextUrl.searchParams.get('next'));
  const target = new URL('/signin', req.url);
  target.searchParams.set('reason', 'expired');
  target.searchParams.set('next', next);
  return NextResponse.redirect(target, { status: 303 });
}
