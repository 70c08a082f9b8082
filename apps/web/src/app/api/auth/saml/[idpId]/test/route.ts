import { NextResponse, type NextRequest } from 'next/server';
import { toApiError } from '../../../../../../lib/errors';
import { isTestOf, saveTestResult, TEST_PATH } from '../../../../../../lib/sso-test';
import { getServerClient } from '../../../../../../lib/trpc/server';

export const dynamic = 'force-dynamic';

/** "Test connection" of a SAML IdP: the response, verified with the admin's session, shown and not signed in. */
export async function POST(req: NextRequest, { params }: { params: Promise<{ idpId: string }> }) {
  const { idpId } = await params;
  const target = new URL(TEST_PATH, req.url);
  if (!(await isTestOf(idpId))) return NextResponse.redirect(target, { status: 303 });
  const samlResponse = (await req.formData().catch(() => null))?.get('SAMLResponse');
  try {
    await saveTestResult(await (await getServerClient()).sso.testSignIn.mutate({ idpId, samlResponse: typeof samlResponse === 'string' ? samlResponse : '' }));
  } catch (error) {
    await saveTestResult({ ok: false, provider: idpId, identity: null, roles: [], reason: 'error', message: toApiError(error).message });
  }
  return NextResponse.redirect(target, { status: 303 });
}
