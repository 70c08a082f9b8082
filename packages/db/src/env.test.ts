import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, envErrorLines, envProblemLine, ownerEnvShape, parseEnv, ZPostgresUrl } from './env';

const shape = {
  DATABASE_OWNER_URL: ZPostgresUrl,
  PORT: z.coerce.number().int().min(1024),
  MODE: z.enum(['dev', 'start'], { error: 'must be dev or start' }).default('dev'),
};

function problemsOf(source: Record<string, string>) {
  try {
    parseEnv(shape, source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error('expected an EnvError');
}

describe('environment errors', () => {
  it('give one line per bad variable, naming it and the reason, with no header or stack', () => {
    const error = problemsOf({ DATABASE_OWNER_URL: 'nope', PORT: '80', MODE: 'prod' });
    expect(error.message.split('\n')).toEqual([
      'DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL',
      'PORT is invalid: Too small: expected number to be >=1024',
      'MODE must be dev or start',
    ]);
  });

  it('say a missing required variable is required', () => {
    expect(problemsOf({ PORT: '5000' }).message).toBe('DATABASE_OWNER_URL is required (a postgres:// URL)');
  });

  it('name a variable once even when several checks fail on it', () => {
    const error = problemsOf({ DATABASE_OWNER_URL: 'postgres://x', PORT: '1.5' });
    expect(error.problems.map((p) => p.variable)).toEqual(['PORT']);
  });

  it('are prefixed with the program for command-line entry points', () => {
    const error = problemsOf({ DATABASE_OWNER_URL: 'nope', PORT: 'x' });
    expect(envErrorLines('db:migrate', error)).toEqual([
      'db:migrate: DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL',
      'db:migrate: PORT is invalid: Invalid input: expected number, received NaN',
    ]);
  });

  it('read as sentences whether the reason is ours or zod’s', () => {
    expect(envProblemLine({ variable: 'A', reason: 'must be true or false' })).toBe('A must be true or false');
    expect(envProblemLine({ variable: 'A', reason: 'is required' })).toBe('A is required');
    expect(envProblemLine({ variable: 'A', reason: 'unknown router(s) x' })).toBe('A is invalid: unknown router(s) x');
  });

  it('leave valid settings parsed, defaults applied', () => {
    expect(parseEnv(shape, { DATABASE_OWNER_URL: 'postgresql://h/db', PORT: '5000' })).toEqual({ DATABASE_OWNER_URL: 'postgresql://h/db', PORT: 5000, MODE: 'dev' });
    expect(parseEnv(ownerEnvShape, { DATABASE_OWNER_URL: 'postgres://h/db' })).toEqual({ DATABASE_OWNER_URL: 'postgres://h/db' });
  });
});
