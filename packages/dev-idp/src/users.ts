/**
 * The people the dev IdPs know. Emails match the product's seed exactly (packages/db seed), except
 * nova@acme.test, who exists only here: signing in as Nova exercises just-in-time provisioning.
 */
export interface DevIdpUser {
  /** Stable subject identifier: `user-<local part>-<first label of the domain>`. */
  sub: string;
  email: string;
  name: string;
  groups: string[];
}

function user(email: string, name: string, groups: string[]): DevIdpUser {
  const [local, domain = ''] = email.split('@');
  return { sub: `user-${local}-${domain.split('.')[0]}`, email, name, groups };
}

export const DEV_IDP_USERS: DevIdpUser[] = [
  // acme.test
  user('ada@acme.test', 'Ada Admin', ['dharma-admins']),
  user('sam@acme.test', 'Sam Solution', ['architects']),
  user('tara@acme.test', 'Tara Technical', ['tech-architects']),
  user('pia@acme.test', 'Pia Manager', ['project-managers']),
  user('vic@acme.test', 'Vic Viewer', ['everyone']),
  user('nova@acme.test', 'Nova Newcomer', ['architects', 'everyone']), // IdP only: just-in-time account
  // globex.test
  user('gina@globex.test', 'Gina Admin', ['dharma-admins']),
  user('omar@globex.test', 'Omar Architect', ['architects']),
  user('val@globex.test', 'Val Viewer', ['everyone']),
  // consult.test: a consultant who belongs to both tenants (the console's tenant switcher)
  user('cora@consult.test', 'Cora Consultant', ['architects']),
];
