import { describe, expect, it } from 'vitest';
import { decodeBytes, textDamage, unreadableLines } from './text';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('reading the bytes of an imported file', () => {
  it('reads UTF-8, Cyrillic included, and drops a byte-order mark', () => {
    const d = decodeBytes(bytes([0xef, 0xbb, 0xbf], 'adm_1\nСтаниця Луганська\n'));
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toBe('adm_1\nСтаниця Луганська\n');
    expect(d.unreadable).toEqual([]);
  });

  it('reads Windows-1252 with its own table: 0x92 is ’ and 0x97 is —, not Latin-1 control characters', () => {
    // "Donetsk’s — NOËL" as Excel on Windows writes it
    const d = decodeBytes(bytes('Donetsk', [0x92], 's ', [0x97], ' NO', [0xcb], 'L'));
    expect(d.encoding).toBe('windows-1252');
    expect(d.detected).toMatch(/^Windows-1252/);
    expect(d.text).toBe('Donetsk’s — NOËL');
    expect(d.text).not.toMatch(/[\u0080-\u009f]/);
  });

  it('names the line of a byte Windows-1252 does not have', () => {
    const d = decodeBytes(bytes('a,b\n', [0x92], 'ok\nbad ', [0x81], '\n'));
    expect(d.encoding).toBe('windows-1252');
    expect(unreadableLines(d)).toEqual(
      new Map([[3, 'byte 0x81 is not a Windows-1252 character: the row is in an encoding that cannot be told']]),
    );
  });

  it('in a UTF-8 file, names the one row saved in another encoding', () => {
    const d = decodeBytes(bytes('place\nСтаниця\nDonetsk', [0x92], 's\nКиїв\n'));
    expect(d.encoding).toBe('utf-8');
    expect([...unreadableLines(d).keys()]).toEqual([3]);
    expect(unreadableLines(d).get(3)).toMatch(/byte 0x92 is not UTF-8/);
    expect(d.text.split('\n')[3]).toBe('Київ');
  });

  it('follows an explicit encoding when asked', () => {
    expect(decodeBytes(bytes('caf', [0xc3, 0xa9]), 'windows-1252').text).toBe('cafÃ©');
  });
});

describe('damaged text is recognised', () => {
  it.each([
    ['? ????????? ??????? ???????? ????? ? ??????? ?????????', /question marks stand where characters were/],
    ['cemetery of the mine ?29', /question marks/],
    ['Stanytsia Luhanska (??? ???????)', /question marks/],
    ['Ð¡Ñ‚Ð°Ð½Ð¸Ñ†Ñ', /mojibake/],
    ['Donetskâ€™s Kirov district', /mojibake/],
    ['Donetsk\uFFFDs', /unreadable/],
  ])('%s', (text, reason) => {
    expect(textDamage(text)).toMatch(reason);
  });

  it.each([
    'Why did the ceasefire fail?',
    'Is it over? Not yet.',
    'Stanytsia Luhanska (смт Станиця)',
    'Donetsk’s Kirov district',
    'São Paulo; ESPAÑA',
    '"Who fired?"',
  ])('leaves good text alone: %s', (text) => {
    expect(textDamage(text)).toBeNull();
  });
});
