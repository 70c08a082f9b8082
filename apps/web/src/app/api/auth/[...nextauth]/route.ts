import { NextResponse, type NextRequest } from 'next/server';
import { authFor, providerIdOf } from '../../../../lib/auth';
import { toApiError } from '../../../../lib/errors';

export const dynamic = 'force-dynamic';

/**
 * Auth.js's endpoints, with the OIDC provider the URL names (its settings read from the services per request). A
 * provider that is unknown, disabled or unreachable sends the person back to the sign-in page with the reason.
 */
async function handle(req: NextRequest) {
  let auth: Awaited<ReturnType<typeof authFor>>;
  try {
    auth = await authFor(providerIdOf(req.nextUrl.pathname));
  } catch (error) {
    const target = new URL('/signin', req.url);
    target.searchParams.set('error', toApiError(error).message);
    return NextResponse.redirect(target, { status: 303 });
  }
  return req.method === 'POST' ? auth.handlers.POST(req) : auth.handlers.GET(req);
}

export { handle as GET, handle as POST };
