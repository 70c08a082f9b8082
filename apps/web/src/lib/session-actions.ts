'use server';
import { redirect, RedirectType } from 'next/navigation';
import { toApiError } from './errors';
import { safeNextPath } from './session-cookie';
import { clearToken, writeToken } from './session';
import { getPublicClient } from './trpc/server';

/** Development sign-in: the services mint a token for the chosen seeded user; it goes into the httpOnly cookie. */
export async function devSignInAction(formData: FormData): Promise<void> {
  const userId = String(formData.get('userId') ?? '');
  const next = safeNextPath(formData.get('next'));
  let failure: string | null = null;
  try {
    const { token, expiresAt } = await getPublicClient().identity.devSignIn.mutate({ userId });
    await writeToken(token, expiresAt);
  } catch (error) {
    failure = toApiError(error).message;
  }
  // redirect() throws, so it stays outside the try. Replace, not push: Back from the console must not return to the
  // sign-in form the user has finished with.
  if (failure !== null) redirect(`/signin?error=${encodeURIComponent(failure)}&next=${encodeURIComponent(next)}`, RedirectType.replace);
  redirect(next, RedirectType.replace);
}

export async function signOutAction(): Promise<void> {
  await clearToken();
  redirect('/signin?reason=signed-out');
}
