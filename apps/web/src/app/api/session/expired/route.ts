import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { authFor } from '../../../../lib/auth';
import { safeNextPath } from '../../../../lib/session-cookie';

export const dynamic = 'force-dynamic';

/** The services refused the token (expired or revoked): end the session and ask the user to sign in again. */
export async function GET(req: NextRequest) {
  await (await authFor()).signOut({ redirect: false });
  const next = safeNextPath(req.nextUrl.searchParams.get('next'));
  const target = new URL('/signin', req.url);
  target.searchParams.set('reason', 'expired');
  target.searchParams.set('next', next);
  return NextResponse.redirect(target, { status: 303 });
}
