import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Part } from '../../core/framework/model';
import { validateFramework } from '../../core/framework/validate';
import { en } from '../i18n/en';
import { uk } from '../i18n/uk';
import { alternativeLabel, clauseSites, fitLanguages, languageChoices, partyDirectory, roman } from './document';
import { formatDistance, formatDuration, readableJson, summarisePart } from './part-summary';

const source = readFileSync(join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const report = validateFramework(source, 'framework.yaml');
const doc = report.document!;
const parties = partyDirectory(doc);
const sites = clauseSites(doc);

function partOf(clause: string, alternative?: string): Part {
  const site = sites.find((s) => s.clause.id === clause)!;
  const part = alternative
    ? site.clause.alternatives.find((a) => alternativeLabel(a, site.clause.alternatives.indexOf(a)) === alternative)?.part
    : site.clause.part;
  if (!part) throw new Error(`${clause} ${alternative ?? ''} has no part`);
  return part;
}

const english = { words: en.framework.part, locale: en.meta.locale, party: parties.short };
const ukrainian = { words: uk.framework.part, locale: uk.meta.locale, party: parties.short };

describe('machine-readable parts in one line', () => {
  it('a buffer zone: its width each side, what it runs along, and that its geometry is illustrative', () => {
    expect(summarisePart(partOf('c-buffer-zone', 'A'), english).join(' · ')).toBe(
      'zone · buffer zone · buffer 15 km each side · along contact-line · illustrative geometry',
    );
    expect(summarisePart(partOf('c-buffer-zone', 'B'), ukrainian).join(' · ')).toBe(
      'зона · буферна зона · буфер 5 км в обидва боки · уздовж contact-line · ілюстративна геометрія',
    );
  });

  it('a commitment: domain, lead and backup responders by their short names, decision rule, ladder', () => {
    const facts = summarisePart(partOf('c-commit-sea', 'A'), english);
    expect(facts.slice(0, 4)).toEqual(['commitment', 'sea', 'lead TR', 'backup UK']);
    expect(facts).toContain('TR decides');
    expect(facts.at(-1)).toBe('ladder ladder-military');
    expect(summarisePart(partOf('c-commit-sea', 'B'), english)).toContain('decided by consensus');
    // The land alternatives differ only in what triggers them, so the trigger must show.
    expect(summarisePart(partOf('c-commit-land', 'A'), english)).toContain('trigger: severity ≥ 3');
    expect(summarisePart(partOf('c-commit-land', 'B'), english)).toEqual(
      expect.arrayContaining(['trigger: 3 breaches of severity ≥ 3 within 24 hrs', 'high confidence']),
    );
  });

  it('a withdrawal line: from which line, for whom, how many weapon classes over which range', () => {
    expect(summarisePart(partOf('c-withdrawal'), english).join(' · ')).toBe(
      'zone · withdrawal line · from contact-line · RU, UA · 5 weapon classes, 15 km – 140 km',
    );
  });

  it('a ladder: its rungs with their deadlines, in order', () => {
    expect(summarisePart(partOf('c-ladder'), english).join(' · ')).toBe(
      'escalation ladder · 4 rungs · verify 24 hrs → consult 48 hrs → respond 72 hrs → collective',
    );
  });

  it('every part of the example has a summary that starts with its kind', () => {
    for (const site of sites) {
      const parts = [site.clause.part, ...site.clause.alternatives.map((a) => a.part)].filter((p): p is Part => p !== undefined);
      for (const part of parts) {
        const facts = summarisePart(part, english);
        expect(facts[0], part.id).toBe(en.framework.part.kinds[part.kind]);
        expect(facts.length, part.id).toBeGreaterThan(1);
        expect(
          facts.every((f) => f.length > 0 && !f.includes('undefined')),
          part.id,
        ).toBe(true);
      }
    }
  });

  it('durations and distances as people say them', () => {
    expect(formatDuration('PT48H', 'en-GB')).toBe('48 hrs');
    expect(formatDuration('P3D', 'uk-UA')).toBe('3 дн.');
    expect(formatDuration('PT12H30M', 'en-GB')).toBe('12 hrs 30 mins');
    expect(formatDuration('not a duration', 'en-GB')).toBe('not a duration');
    expect(formatDistance(9260, 'en-GB')).toBe('9.3 km');
    expect(formatDistance(800, 'en-GB')).toBe('800 m');
  });

  it('the JSON keeps coordinates on one line and still parses to the same value', () => {
    const part = partOf('c-buffer-zone', 'A');
    const text = readableJson(part);
    expect(JSON.parse(text)).toEqual(part);
    expect(text).toContain('[35.1435, 47.5792]');
  });
});

describe('reading the document', () => {
  it('names parties in brackets by their short names, in the order the document declares them', () => {
    expect(parties.list(['ua', 'fr', 'gb'])).toBe('UA, UK, FR');
    expect(parties.name('gb', 'uk')).toBe('Сполучене Королівство');
    expect(parties.short('unknown')).toBe('UNKNOWN');
  });

  it('offers each working language alone and both side by side, and keeps only choices that fit', () => {
    expect(languageChoices(['en', 'uk'])).toEqual([['en'], ['uk'], ['en', 'uk']]);
    expect(fitLanguages(['uk', 'en'], ['en', 'uk'], 'en')).toEqual(['uk', 'en']);
    expect(fitLanguages(['fr'], ['en', 'uk'], 'uk')).toEqual(['uk']);
    expect(fitLanguages(null, ['en', 'uk'], 'de')).toEqual(['en']);
    expect(fitLanguages(['en', 'en'], ['en', 'uk'], 'en')).toEqual(['en']);
  });

  it('numbers articles through the document and clauses within their article', () => {
    const buffer = sites.find((s) => s.clause.id === 'c-buffer-zone')!;
    expect([buffer.articleNumber, buffer.clauseNumber]).toEqual([5, 1]);
    expect(roman(14)).toBe('XIV');
  });
});
