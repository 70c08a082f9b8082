import type { NextRequest } from 'next/server';
import { toApiError } from '../../../../../../lib/errors';
import { getPublicClient } from '../../../../../../lib/trpc/server';

export const dynamic = 'force-dynamic';

/** This service provider's metadata for one IdP (entity id, ACS and SLO URLs), for the IdP to import. */
export async function GET(_req: NextRequest, { params }: { params: Promise<{ idpId: string }> }) {
  const { idpId } = await params;
  try {
    const { xml } = await getPublicClient().sso.spMetadata.query({ idpId });
    return new Response(xml, { headers: { 'content-type': 'application/samlmetadata+xml', 'cache-control': 'no-store' } });
  } catch (error) {
    const e = toApiError(error);
    return new Response(e.message, { status: e.httpStatus ?? 404, headers: { 'content-type': 'text/plain' } });
  }
}
