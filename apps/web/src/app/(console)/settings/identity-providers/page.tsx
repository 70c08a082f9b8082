import type { Metadata } from 'next';
import { IdentityProviders } from '../../../../components/identity/identity-providers';

export const metadata: Metadata = { title: 'Identity providers' };

export default function IdentityProvidersPage() {
  return <IdentityProviders />;
}
