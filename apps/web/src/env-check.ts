/** Loads the validated environment; on a bad value, prints which variable is wrong and exits. */
export async function assertEnvOrExit(): Promise<void> {
  try {
    await import('./env');
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
