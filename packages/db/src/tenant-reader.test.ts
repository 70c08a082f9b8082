import { describe, expect, it } from 'vitest';
import { inlineParams, literal } from './tenant';

describe('literal', () => {
  it('sends null and undefined as NULL', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
  });

  it('sends booleans as TRUE and FALSE', () => {
    expect(literal(true)).toBe('TRUE');
    expect(literal(false)).toBe('FALSE');
  });

  it('sends finite numbers and bigints as they print, negative ones in parentheses', () => {
    expect(literal(0)).toBe('0');
    expect(literal(42)).toBe('42');
    expect(literal(-7)).toBe('(-7)');
    expect(literal(1.5)).toBe('1.5');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
    expect(literal(-3n)).toBe('(-3)');
  });

  it('quotes strings, doubling single quotes', () => {
    expect(literal('')).toBe("''");
    expect(literal('plain')).toBe("'plain'");
    expect(literal("O'Brien")).toBe("'O''Brien'");
    expect(literal("''")).toBe("''''''");
    expect(literal("x'; drop table blueprints; --")).toBe("'x''; drop table blueprints; --'");
  });

  it('leaves backslashes as they are (standard_conforming_strings)', () => {
    expect(literal('a\\b')).toBe("'a\\b'");
    expect(literal("\\'")).toBe("'\\'''");
    expect(literal('%50\\%%')).toBe("'%50\\%%'");
  });

  it('refuses a string with a NUL character', () => {
    expect(() => literal('a\0b')).toThrow(/NUL/);
  });

  it.each([
    ['NaN', Number.NaN, 'number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'number'],
    ['-Infinity', Number.NEGATIVE_INFINITY, 'number'],
    ['an object', { a: 1 }, 'object'],
    ['an array', [1, 2], 'object'],
    ['a Date', new Date(0), 'object'],
    ['a Buffer', Buffer.from('x'), 'object'],
    ['a symbol', Symbol('s'), 'symbol'],
    ['a function', () => 1, 'function'],
  ])('refuses %s, naming its type', (_label, value, type) => {
    expect(() => literal(value)).toThrow(new RegExp(`type ${type}\\b`));
  });
});

describe('inlineParams', () => {
  it('replaces $1..$n by literals', () => {
    expect(inlineParams('select * from t where a = $1 and b = $2 and c = $3', ['x', 5, null])).toBe(
      "select * from t where a = 'x' and b = 5 and c = NULL",
    );
  });

  it('replaces a parameter used twice, in any order', () => {
    expect(inlineParams('select $2, $1, $2', [true, 'y'])).toBe("select 'y', TRUE, 'y'");
  });

  it('does not confuse $10 with $1', () => {
    const params = Array.from({ length: 11 }, (_, i) => `p${i + 1}`);
    expect(inlineParams('select $1, $10, $11', params)).toBe("select 'p1', 'p10', 'p11'");
  });

  it('throws on a $n with no parameter', () => {
    expect(() => inlineParams('select $1, $2', ['a'])).toThrow(/\$2 has no parameter/);
    // $10 with a single parameter is $10, not $1 followed by a 0.
    expect(() => inlineParams('select $10', ['a'])).toThrow(/\$10 has no parameter/);
    expect(() => inlineParams('select $0', ['a'])).toThrow(/\$0 has no parameter/);
  });

  it('leaves the text unchanged without parameters', () => {
    const text = 'select count(*) from "blueprints" where "name" ilike \'%a%\'';
    expect(inlineParams(text, [])).toBe(text);
  });

  it('does not rescan inlined values: a string that looks like a placeholder stays data', () => {
    expect(inlineParams('select $1, $2', ['$2', 'b'])).toBe("select '$2', 'b'");
  });

  it('propagates a refused value', () => {
    expect(() => inlineParams('select $1', [Number.NaN])).toThrow(/type number/);
  });
});
