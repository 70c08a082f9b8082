import { z } from 'zod';

export interface TEnvProblem {
  variable: string;
  reason: string;
}

/**
 * A bad environment, one problem per variable. Its message has one line per problem, each naming the variable and
 * why, so an entry point can print it as is: a user's typo must read as a sentence, never as a stack trace.
 */
export class EnvError extends Error {
  constructor(readonly problems: readonly TEnvProblem[]) {
    super(problems.map(envProblemLine).join('\n'));
    this.name = 'EnvError';
  }
}

/** `DATABASE_URL must be a postgres:// URL`; zod's own messages ("Invalid input: ...") get an "is invalid:" lead-in. */
export function envProblemLine({ variable, reason }: TEnvProblem): string {
  return /^(is|must|should|has|cannot) /.test(reason) ? `${variable} ${reason}` : `${variable} is invalid: ${reason}`;
}

/** Parses env with a schema; a bad value throws an EnvError naming each bad variable. */
export function parseEnv<T extends z.ZodRawShape>(shape: T, source: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const seen = new Set<string>();
    const problems: TEnvProblem[] = [];
    for (const issue of result.error.issues) {
      const variable = issue.path.join('.') || '(environment)';
      if (seen.has(variable)) continue;
      seen.add(variable);
      problems.push({ variable, reason: issue.message });
    }
    throw new EnvError(problems);
  }
  return result.data;
}

/** The lines an entry point prints for an error: each EnvError problem prefixed with the program's name. */
export function envErrorLines(program: string, error: EnvError): string[] {
  return error.problems.map((p) => `${program}: ${envProblemLine(p)}`);
}

/**
 * For command-line entry points: parses like parseEnv, and on a bad value prints one line per bad variable to
 * stderr and exits 1.
 */
export function parseEnvOrExit<T extends z.ZodRawShape>(program: string, shape: T, source: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  try {
    return parseEnv(shape, source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    for (const line of envErrorLines(program, error)) console.error(line);
    process.exit(1);
  }
}

export const ZPostgresUrl = z
  .string({ error: 'is required (a postgres:// URL)' })
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

export const dbEnvShape = {
  DATABASE_URL: ZPostgresUrl,
  DB_POOL_MAX: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500).default(10),
};

export const ownerEnvShape = {
  DATABASE_OWNER_URL: ZPostgresUrl,
};
