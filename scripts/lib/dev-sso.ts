import { and, eq } from 'drizzle-orm';
import type { TDb } from '@dharma/db/client';
import { identityProviders, tenants } from '@dharma/db/schema/index';
import { devKeys } from '@dharma/dev-idp/keys';
import { DEV_OIDC_CLIENT_ID } from '@dharma/dev-idp/clients';

/** The dev IdP's groups, mapped to the system roles the same way in both seeded tenants. */
export const DEV_GROUP_ROLES = [
  { group: 'dharma-admins', role: 'admin' },
  { group: 'architects', role: 'solution_architect' },
  { group: 'tech-architects', role: 'technical_architect' },
  { group: 'project-managers', role: 'project_manager' },
  { group: 'everyone', role: 'viewer' },
];

export const DEV_PROVIDER_NAMES = { acmeOidc: 'Acme Okta (local dev OIDC)', globexSaml: 'Globex ADFS (local dev SAML)' } as const;

/**
 * Points the seeded tenants at the local dev IdP (`packages/dev-idp`): acme signs in through its OIDC provider,
 * globex through its SAML IdP. Written as the owner, idempotent (the URLs follow the IdP's port on every start).
 * Only for `npm run dev` and the browser tests: a real tenant's admin adds providers in Settings -> Identity providers.
 */
export async function registerDevProviders(db: TDb, o: { idpUrl: string; clientSecret: string }): Promise<{ acme: string | null; globex: string | null }> {
  const idp = o.idpUrl.replace(/\/+$/, '');
  const upsert = async (slug: string, row: Omit<typeof identityProviders.$inferInsert, 'tenantId'>) => {
    const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
    if (!tenant) return null;
    const [existing] = await db.select({ id: identityProviders.id }).from(identityProviders).where(and(eq(identityProviders.tenantId, tenant.id), eq(identityProviders.name, row.name)));
    if (existing) {
      await db.update(identityProviders).set(row).where(eq(identityProviders.id, existing.id));
      return existing.id;
    }
    const [created] = await db.insert(identityProviders).values({ tenantId: tenant.id, ...row }).returning({ id: identityProviders.id });
    return created!.id;
  };
  const acme = await upsert('acme', {
    kind: 'oidc',
    name: DEV_PROVIDER_NAMES.acmeOidc,
    enabled: true,
    config: { issuer: `${idp}/oidc`, clientId: DEV_OIDC_CLIENT_ID, clientSecret: o.clientSecret, groupsClaim: 'groups' },
    groupRoles: DEV_GROUP_ROLES,
    defaultRoles: [],
    domains: ['acme.test', 'consult.test'],
  });
  const globex = await upsert('globex', {
    kind: 'saml',
    name: DEV_PROVIDER_NAMES.globexSaml,
    enabled: true,
    config: {
      entityId: `${idp}/saml/metadata`,
      ssoUrl: `${idp}/saml/sso`,
      sloUrl: `${idp}/saml/slo`,
      certificates: [devKeys().idp.cert],
      attributes: { email: 'email', name: 'displayName', groups: 'groups' },
      allowIdpInitiated: true,
    },
    groupRoles: DEV_GROUP_ROLES,
    defaultRoles: [],
    domains: ['globex.test', 'consult.test'],
  });
  return { acme, globex };
}
