import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff';

describe('word diff of an amendment', () => {
  it('keeps the common words and marks what is struck and what is added', () => {
    expect(wordDiff('access to all prisoners of war', 'access within 14 days to all prisoners')).toEqual([
      { op: 'equal', text: 'access' },
      { op: 'insert', text: 'within 14 days' },
      { op: 'equal', text: 'to all prisoners' },
      { op: 'delete', text: 'of war' },
    ]);
  });
  it('reads back as either text', () => {
    const runs = wordDiff('a b c d', 'a x c y z');
    expect(
      runs
        .filter((r) => r.op !== 'insert')
        .map((r) => r.text)
        .join(' '),
    ).toBe('a b c d');
    expect(
      runs
        .filter((r) => r.op !== 'delete')
        .map((r) => r.text)
        .join(' '),
    ).toBe('a x c y z');
  });
});
