/** A failure the user can act on (a missing user, a bad option): its message is the whole story. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Runs a command-line entry point. A failure prints one paragraph, `<program>: <what went wrong>`, and exits 1:
 * a wrong URL, a stopped server or a bad password is the user's to fix and needs no stack trace. Only a failure
 * that is neither a CliError nor carries an error code (a bug, not a setting) also prints its stack.
 */
export async function runCli(program: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(`${program}: ${describeFailure(error)}`);
    if (!(error instanceof CliError) && !hasCode(error) && error instanceof Error && error.stack) console.error(error.stack);
    process.exitCode = 1;
  }
}

/** Command-line options parsed by `parse`; an unknown or malformed option prints one line and exits 2. */
export function parseArgsOrExit<T>(program: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    console.error(`${program}: ${describeFailure(error)}`);
    process.exit(2);
  }
}

interface TCodedError {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Whether an error, its cause or one of its errors carries a code (ECONNREFUSED, a SQLSTATE...): a setting, not a bug. */
export function hasCode(error: unknown): boolean {
  const e = error as TCodedError | undefined;
  if (typeof e?.code === 'string') return true;
  if (e?.cause && hasCode(e.cause)) return true;
  return Array.isArray(e?.errors) && e.errors.some(hasCode);
}

/** One line for a failure: the innermost error that says what happened (drizzle wraps Postgres errors in its own). */
export function describeFailure(error: unknown): string {
  const e = error as TCodedError | undefined;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return describeFailure(e.errors[0]);
  if (e?.cause && hasCode(e.cause) && typeof e.code !== 'string') return describeFailure(e.cause);
  if (e?.code === 'ECONNREFUSED' && typeof e.address === 'string') {
    return `cannot connect to ${e.address}:${String(e.port)} (connection refused): is the server running, and is the URL's port right?`;
  }
  if (e?.code === 'ENOTFOUND') return `${String(e.message)} (unknown host name in the URL)`;
  const message = typeof e?.message === 'string' && e.message.trim() !== '' ? e.message.trim() : String(error);
  return message.split('\n')[0]!;
}

/** `host:port/database` of a connection URL, for messages: never its password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
