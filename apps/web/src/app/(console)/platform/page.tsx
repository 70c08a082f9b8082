import type { Metadata } from 'next';
import { PlatformTenants } from '../../../components/platform/platform-tenants';

export const metadata: Metadata = { title: 'Tenants' };

export default function PlatformPage() {
  return <PlatformTenants />;
}
