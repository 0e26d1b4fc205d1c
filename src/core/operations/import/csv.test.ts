import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

describe('CSV as exports write it', () => {
  it('reads quoted fields with commas, semicolons, doubled quotes and line breaks, and knows where each record starts', () => {
    const text = [
      'id,source_article,headline',
      '1,"""AFP,2014-01-22,Police disperse Kiev protest"";""Reuters,2014-01-25,One more""","Kiev, Maidan"',
      '2,"two',
      'lines",plain',
      '3,,"a ""quoted"" word"',
      '',
    ].join('\r\n');
    const t = parseCsv(text);
    expect(t.header).toEqual(['id', 'source_article', 'headline']);
    expect(t.problems).toEqual([]);
    expect(t.records.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(t.records[0]!.fields[1]).toBe('"AFP,2014-01-22,Police disperse Kiev protest";"Reuters,2014-01-25,One more"');
    expect(t.records[0]!.fields[2]).toBe('Kiev, Maidan');
    expect(t.records[1]!.fields[1]).toBe('two\r\nlines');
    expect(t.records[2]!.fields).toEqual(['3', '', 'a "quoted" word']);
  });

  it('reports a row with too few or too many fields by its line, and reads the rest', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n');
    expect(t.records.map((r) => r.fields[0])).toEqual(['1', '10']);
    expect(t.problems).toEqual([
      { line: 3, reason: '2 fields where the header has 3' },
      { line: 4, reason: '4 fields where the header has 3' },
    ]);
  });

  it('reports text after a closing quote', () => {
    const t = parseCsv('a,b\n"x"y,2\n3,4\n');
    expect(t.problems).toEqual([{ line: 2, reason: 'field 1 has text after its closing quote ("y")' }]);
    expect(t.records).toHaveLength(1);
  });

  it('refuses the whole file when a quote is never closed: nothing after it can be trusted', () => {
    const t = parseCsv('a,b\n1,2\n3,"never closed\n5,6\n7,8\n');
    expect(t.fatal).toEqual({
      line: 3,
      reason: 'the quoted field 2 opened on line 3 is never closed: the rest of the file cannot be read',
    });
  });

  it('reads other delimiters', () => {
    const t = parseCsv('date;lat;lon\n07.01.2026;47,47;35,93\n', ';');
    expect(t.records[0]!.fields).toEqual(['07.01.2026', '47,47', '35,93']);
  });
});
