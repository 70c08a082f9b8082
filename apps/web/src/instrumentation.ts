/**
 * Runs once when the server starts, so a bad environment stops the process with a message naming the variable
 * instead of failing the first request. NEXT_RUNTIME is a constant Next.js inlines at build time (not
 * configuration): it keeps the Node-only exit out of the Edge bundle.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { assertEnvOrExit } = await import('./env-check');
    await assertEnvOrExit();
  }
}
