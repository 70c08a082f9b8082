import { NextResponse, type NextRequest } from 'next/server';
import { authFor, readConsoleSession } from '../../../../../../lib/auth';
import { toApiError } from '../../../../../../lib/errors';
import { getPublicClient } from '../../../../../../lib/trpc/server';

export const dynamic = 'force-dynamic';

/**
 * IdP-initiated single logout: the IdP (signed LogoutRequest, checked by the services) asks us to end the session of
 * the person it names; the browser that brought the request loses its console session if it is that person's through
 * this provider, and goes back to the IdP with our LogoutResponse.
 */
async function idpInitiated(req: NextRequest, idpId: string) {
  let answer: { url: string; nameId: string };
  try {
    answer = await getPublicClient().sso.samlIdpLogout.mutate({ idpId, query: req.nextUrl.search.replace(/^\?/, '') });
  } catch (error) {
    return new Response(`single logout refused: ${toApiError(error).message}`, { status: 400, headers: { 'content-type': 'text/plain' } });
  }
  const session = await readConsoleSession();
  if (session?.idp?.id === idpId && session.idp.saml?.nameId === answer.nameId) await (await authFor()).signOut({ redirect: false });
  return NextResponse.redirect(answer.url, { status: 303 });
}

/** Single logout's return: the IdP's signed LogoutResponse (HTTP-Redirect binding), checked by the services. */
export async function GET(req: NextRequest, { params }: { params: Promise<{ idpId: string }> }) {
  const { idpId } = await params;
  if (req.nextUrl.searchParams.has('SAMLRequest')) return idpInitiated(req, idpId);
  const target = new URL('/signin', req.url);
  target.searchParams.set('reason', 'signed-out');
  try {
    await getPublicClient().sso.samlLogoutComplete.mutate({ idpId, query: req.nextUrl.search.replace(/^\?/, '') });
  } catch (error) {
    target.searchParams.set('error', `single logout: ${toApiError(error).message}`);
  }
  return NextResponse.redirect(target, { status: 303 });
}
