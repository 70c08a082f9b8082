import { describe, expect, it } from 'vitest';
import { CliError, describeFailure, describeUrl } from './run-cli';

describe('describeFailure', () => {
  it('turns a refused connection into a sentence naming the address', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5999 });
    expect(describeFailure(refused)).toBe('cannot connect to 127.0.0.1:5999 (connection refused): is the server running, and is the URL\'s port right?');
    expect(describeFailure(new AggregateError([refused], ''))).toMatch(/^cannot connect to 127\.0\.0\.1:5999/);
  });

  it('shows the Postgres error inside a wrapper rather than the wrapper’s SQL dump', () => {
    const pg = Object.assign(new Error('password authentication failed for user "app_owner"'), { code: '28P01' });
    const wrapped = Object.assign(new Error('Failed query: select 1\nparams: '), { cause: pg });
    expect(describeFailure(wrapped)).toBe('password authentication failed for user "app_owner"');
  });

  it('keeps the first line of a message and the message of a CliError', () => {
    expect(describeFailure(new Error('first\nsecond'))).toBe('first');
    expect(describeFailure(new CliError('no active user x@y'))).toBe('no active user x@y');
    expect(describeFailure('plain')).toBe('plain');
  });
});

describe('describeUrl', () => {
  it('names host, port and database, never the password', () => {
    expect(describeUrl('postgres://app_owner:s3cret@127.0.0.1:55432/dharma')).toBe('127.0.0.1:55432/dharma');
    expect(describeUrl('postgres://u:p@db.example/app')).toBe('db.example:5432/app');
    expect(describeUrl('nope')).toBe('(unparsable URL)');
  });
});
