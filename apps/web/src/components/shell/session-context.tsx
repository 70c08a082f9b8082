'use client';
import { createContext, useContext, type ReactNode } from 'react';
import type { TPermissionLike } from '../../lib/roles';

export interface TSessionUser {
  id: string;
  email: string;
  name: string;
  /** Role names in force now (system or custom). */
  roles: string[];
  /** What the roles allow, as the services decide it: the console hides what they would refuse. */
  permissions: TPermissionLike[];
  tenant: { id: string; slug: string };
  /** An admin of the platform tenant (Platform -> Tenants). */
  platformAdmin: boolean;
}

const SessionContext = createContext<TSessionUser | null>(null);

export function SessionProvider({ user, children }: { user: TSessionUser; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

/** The signed-in user, as `identity.me` reported it when the console loaded. */
export function useSessionUser(): TSessionUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useSessionUser outside SessionProvider');
  return user;
}
