import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalize } from './canonical';

describe('canonicalize (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    // Example from RFC 8785 section 3.2.3 (key sorting).
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const keys = Object.keys(JSON.parse(canonicalize(input)) as object);
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(keys).toHaveLength(7);
  });

  it('serialises numbers the ECMAScript way', () => {
    expect(canonicalize([1e21, 1e-7, -0, 0.1, 333333333.3333333, 4.5])).toBe('[1e+21,1e-7,0,0.1,333333333.3333333,4.5]');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalize({ a: Number.NaN })).toThrow(/NaN/);
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalize(reversed)).toBe(canonicalize(obj));
        expect(JSON.parse(canonicalize(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});
