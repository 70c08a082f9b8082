import { NextResponse, type NextRequest } from 'next/server';
import { authFor, SERVICES_TOKEN_PROVIDER } from '../../../../../../lib/auth';
import { toApiError } from '../../../../../../lib/errors';
import { safeNextPath } from '../../../../../../lib/session-cookie';
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
