import { NextResponse, type NextRequest } from 'next/server';
import { toApiError } from '../../../../../../lib/errors';
import { getPublicClient } from '../../../../../../lib/trpc/server';

export const dynamic = 'force-dynamic';

/** Single logout's return: the IdP's signed LogoutResponse (HTTP-Redirect binding), checked by the services. */
export async function GET(req: NextRequest, { params }: { params: Promise<{ idpId: string }> }) {
  const { idpId } = await params;
  const target = new URL('/signin', req.url);
  target.searchParams.set('reason', 'signed-out');
  try {
    await getPublicClient().sso.samlLogoutComplete.mutate({ idpId, query: req.nextUrl.search.replace(/^\?/, '') });
  } catch (error) {
    target.searchParams.set('error', `single logout: ${toApiError(error).message}`);
  }
  return NextResponse.redirect(target, { status: 303 });
}
