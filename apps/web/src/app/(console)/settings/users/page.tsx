import type { Metadata } from 'next';
import { UsersAndRoles } from '../../../../components/identity/users-and-roles';

export const metadata: Metadata = { title: 'Users & roles' };

export default function UsersPage() {
  return <UsersAndRoles />;
}
