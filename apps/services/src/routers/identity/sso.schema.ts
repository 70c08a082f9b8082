import { z } from 'zod';
import { MAX_METADATA_BYTES, ZProviderCommon } from '@dharma/auth/sso/config';
import { ZDirectoryEntry } from './identity.schema';

const ZUuid = z.uuid({ error: 'must be a uuid' });

export const ZProviderIdInput = z.object({ idpId: ZUuid });
export const ZDiscoverInput = z
  .object({
    email: z.email({ error: 'must be an email address' }).max(320).optional(),
    tenant: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be a tenant slug' }).optional(),
  })
  .refine((v) => v.email !== undefined || v.tenant !== undefined, { error: 'give an email or a tenant', path: ['email'] });

/** What the console passes back to the IdP and gets back: a same-site path to land on. */
const ZRelayState = z.string().max(1000, { error: 'must be at most 1000 characters' }).default('');
export const ZSamlStartInput = z.object({ idpId: ZUuid, relayState: ZRelayState });
export const ZOidcSignInInput = z.object({ idpId: ZUuid, idToken: z.string().min(1, { error: 'is required' }).max(20_000, { error: 'is too long for an ID token' }) });
export const ZSamlSignInInput = z.object({
  idpId: ZUuid,
  samlResponse: z.string().min(1, { error: 'is required' }).max(1_000_000, { error: 'is larger than 1 MB' }).regex(/^[A-Za-z0-9+/=\s]+$/, { error: 'must be base64' }),
});
export const ZTestSignInInput = z
  .object({ idpId: ZUuid, idToken: ZOidcSignInInput.shape.idToken.optional(), samlResponse: ZSamlSignInInput.shape.samlResponse.optional() })
  .refine((v) => v.idToken !== undefined || v.samlResponse !== undefined, { error: 'give the ID token (OIDC) or the SAMLResponse (SAML)', path: ['idToken'] });
export const ZSamlSession = z.object({ nameId: z.string().min(1).max(1000), nameIdFormat: z.string().max(300).nullable(), sessionIndex: z.string().max(300).nullable() });
export const ZSamlLogoutInput = z.object({ idpId: ZUuid, session: ZSamlSession, relayState: ZRelayState });
export const ZSamlLogoutCompleteInput = z.object({ idpId: ZUuid, query: z.string().min(1, { error: 'is required' }).max(100_000) });

export const ZSaveProviderInput = z.object({
  id: ZUuid.optional(),
  kind: z.enum(['oidc', 'saml'], { error: 'must be oidc or saml' }),
  ...ZProviderCommon,
  config: z.record(z.string(), z.unknown(), { error: 'must be an object of settings' }),
});
export const ZDeleteProviderInput = z.object({ id: ZUuid });
export const ZSsoRequiredInput = z.object({ ssoRequired: z.boolean({ error: 'must be true or false' }) });
export const ZMetadataInput = z.object({
  xml: z
    .string({ error: 'must be the metadata XML' })
    .min(1, { error: 'is required' })
    .refine((v) => Buffer.byteLength(v, 'utf8') <= MAX_METADATA_BYTES, { error: `is larger than ${MAX_METADATA_BYTES / 1024} KiB` }),
});

export const ZSignInResult = z.object({ token: z.string(), expiresAt: z.string(), user: ZDirectoryEntry, justInTime: z.boolean(), saml: ZSamlSession.nullable() });
