import { describe, expect, it } from 'vitest';
import { hclString } from './hcl';

describe('hclString', () => {
  it('keeps template markers as text: ${ and %{ are doubled, quotes, backslashes and newlines escaped', () => {
    expect(hclString('${x} %{y} "q" a\\b\nc')).toBe('"$${x} %%{y} \\"q\\" a\\\\b\\nc"');
  });
});
