import 'server-only';
import { readConsoleSession } from './auth';

/** The services token of the signed-in user, from the console session (Auth.js's encrypted cookie), or null. */
export async function readToken(): Promise<string | null> {
  return (await readConsoleSession())?.svc ?? null;
}
