import { describe, expect, it } from 'vitest';
import { readReferencePath } from '../../../lib/local/coverage/reference-path.ts';

describe('readReferencePath', () => {
  it('tells a value that is null from one that is not there', () => {
    expect(readReferencePath('$.a.b', { a: { b: null } })).toEqual({ present: true, value: null });
    expect(readReferencePath('$.a.c', { a: { b: null } })).toEqual({ present: false });
    expect(readReferencePath('$.a[2]', { a: [1] })).toEqual({ present: false });
    expect(readReferencePath('$', 5)).toEqual({ present: true, value: 5 });
  });
});
