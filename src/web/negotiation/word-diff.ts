/**
 * Word-level difference between the words a proposal amends and the words it proposes, for the
 * proposal card (the server's diff covers whole versions; a card needs one pair of texts, at once).
 * Longest common subsequence over words: texts of a clause are short, so O(n·m) is fine.
 */
export interface WordRun {
  readonly op: 'equal' | 'insert' | 'delete';
  readonly text: string;
}

export function wordDiff(before: string, after: string): WordRun[] {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: WordRun[] = [];
  const push = (op: WordRun['op'], word: string) => {
    const last = out[out.length - 1];
    if (last && last.op === op) out[out.length - 1] = { op, text: `${last.text} ${word}` };
    else out.push({ op, text: word });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push('equal', a[i]!);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) push('insert', b[j++]!);
    else push('delete', a[i++]!);
  }
  return out;
}
