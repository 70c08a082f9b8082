import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { ErrorState } from '../../components/ui/states';
import { SessionProvider, type TSessionUser } from '../../components/shell/session-context';
import { ShellFrame } from '../../components/shell/shell-frame';
import { Sidebar } from '../../components/shell/sidebar';
import { TopBar } from '../../components/shell/topbar';
import { errorCode } from '../../lib/errors';
import { readToken } from '../../lib/session';
import { Providers } from '../../lib/trpc/client';
import { getServerClient } from '../../lib/trpc/server';

export const dynamic = 'force-dynamic';

/** Every console page: signed in (the proxy checks the cookie, this checks the token), sidebar, top bar. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  if (!(await readToken())) redirect('/signin');
  let user: TSessionUser | null = null;
  let failure: unknown = null;
  try {
    user = await (await getServerClient()).identity.me.query();
  } catch (error) {
    failure = error;
  }
  if (!user) {
    if (errorCode(failure) === 'UNAUTHORIZED' || errorCode(failure) === 'FORBIDDEN') redirect('/api/session/expired');
    return (
      <main className="signin-page">
        <div className="signin-box">
          <ErrorState error={failure} title="The console cannot reach the services" action={<a href="/signin">Go to sign-in</a>} />
        </div>
      </main>
    );
  }
  return (
    <SessionProvider user={user}>
      <Providers>
        <ShellFrame sidebar={<Sidebar />} topbar={<TopBar user={user} />}>
          {children}
        </ShellFrame>
      </Providers>
    </SessionProvider>
  );
}
