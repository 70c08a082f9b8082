import { NextResponse, type NextRequest } from 'next/server';
import { authFor, SERVICES_TOKEN_PROVIDER } from '../../../../../../lib/auth';
import { toApiError } from '../../../../../../lib/errors';
import { safeNextPath } from '../../../../../../lib/session-cookie';
import { TEST_PATH } from '../../../../../../lib/sso-test';
import { getPublicClient } from '../../../../../../lib/trpc/server';

export const dynamic = 'force-dynamic';

/**
 * The Assertion Consumer Service: the IdP's browser POST (HTTP-POST binding). The services validate the response
 * (signature, audience, recipient, validity, InResponseTo, replay) and map the person; a refusal creates no session
 * and shows the reason on the sign-in page. RelayState is where to land (a console path, never another site).
 */
export async function POST(req: NextRequest, { params }: { params: Promise<{ idpId: string }> }) {
  const { idpId } = await params;
  const form = await req.formData().catch(() => null);
  const samlResponse = form?.get('SAMLResponse');
  const next = safeNextPath(form?.get('RelayState'));
  const back = (message: string) => {
    const target = new URL('/signin', req.url);
    target.searchParams.set('error', message);
    return NextResponse.redirect(target, { status: 303 });
  };
  if (typeof samlResponse !== 'string' || samlResponse === '') return back('the identity provider posted no SAMLResponse');
  if (next === TEST_PATH) {
    // "Test connection": this POST came from the IdP's site, without the admin's (SameSite=Lax) cookies; a page of
    // ours posts it on to the test route, same-site, where the admin's session verifies it.
    return new Response(autoPost(`/api/auth/saml/${encodeURIComponent(idpId)}/test`, samlResponse), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
  }
  let out: Awaited<ReturnType<ReturnType<typeof getPublicClient>['sso']['samlSignIn']['mutate']>>;
  try {
    out = await getPublicClient().sso.samlSignIn.mutate({ idpId, samlResponse });
  } catch (error) {
    return back(toApiError(error).message);
  }
  const auth = await authFor();
  await auth.signIn(SERVICES_TOKEN_PROVIDER, { token: out.token, idp: JSON.stringify({ id: idpId, kind: 'saml', saml: out.saml }), redirectTo: next, redirect: false });
  return NextResponse.redirect(new URL(next, req.url), { status: 303 });
}

const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function autoPost(action: string, samlResponse: string): string {
  return `<!doctype html><html><body><form method="post" action="${escape(action)}"><input type="hidden" name="SAMLResponse" value="${escape(samlResponse)}"><noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`;
}
