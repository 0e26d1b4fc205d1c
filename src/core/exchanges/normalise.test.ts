import { describe, expect, it } from 'vitest';
import { matchLists } from './matching';
import { matchMaterial, nameSkeleton, normaliseDate, normaliseSerial, personNameKey } from './normalise';
import { parsePersonsCsv } from './csv';

describe('name normalisation', () => {
  it('makes the Ukrainian, Russian and English forms of one given name coincide', () => {
    const groups = [
      ['Олександр', 'Oleksandr', 'Александр', 'Aleksandr', 'Alexander'],
      ['Сергій', 'Serhii', 'Сергей', 'Sergey', 'Sergei', 'Serhiy'],
      ['Микола', 'Mykola', 'Николай', 'Nikolai', 'Nikolay'],
      ['Юрій', 'Yurii', 'Iurii', 'Jurij', 'Юрий', 'Yuriy'],
      ['Михайло', 'Mykhailo', 'Михаил', 'Mikhail'],
      ['Євген', 'Yevhen', 'Евгений', 'Evgeny', 'Yevgeniy'],
      ['Харків', 'Kharkiv', 'Harkiv'],
    ];
    for (const group of groups) {
      const skeletons = new Set(group.map((name) => nameSkeleton(name)));
      expect(skeletons, group.join(' / ')).toHaveProperty('size', 1);
    }
  });

  it('keeps different names apart', () => {
    expect(nameSkeleton('Oleksandr')).not.toBe(nameSkeleton('Oleksii'));
    expect(nameSkeleton('Shevchenko')).not.toBe(nameSkeleton('Kovalenko'));
    expect(personNameKey('Шевченко', 'Тарас')).toBe(personNameKey('Shevchenko', 'Taras Hryhorovych'));
  });

  it('reads dates of birth in the formats both sides write', () => {
    for (const d of [
      '1994-03-12',
      '12.03.1994',
      '12/03/1994',
      '12-03-1994',
      '19940312',
      '12 March 1994',
      'March 12, 1994',
      '12 березня 1994',
      '12 марта 1994 г.',
    ]) {
      expect(normaliseDate(d), d).toBe('1994-03-12');
    }
    expect(normaliseDate('31.02.1994')).toBeNull();
    expect(normaliseDate('soon')).toBeNull();
  });

  it('normalises serial numbers with Cyrillic look-alike letters', () => {
    expect(normaliseSerial('АВ 123-456')).toBe(normaliseSerial('AB123456'));
  });
});

describe('blind matching', () => {
  const keyed = (id: string, family: string, given: string, dob?: string, serial?: string) => {
    const m = matchMaterial({
      familyName: family,
      givenName: given,
      ...(dob ? { dateOfBirth: dob } : {}),
      ...(serial ? { serialNumber: serial } : {}),
    });
    return { id, keys: { serial: m.serial, nameDob: m.nameDob, name: m.name } };
  };

  it('matches by serial, then name and date, then a unique name when a date is missing', () => {
    const held = [
      keyed('h1', 'Kovalenko', 'Oleksandr', '12.03.1994'),
      keyed('h2', 'Ivanov', 'Sergey', undefined, 'ВС-1234'),
      keyed('h3', 'Bondarenko', 'Mykola'),
    ];
    const requested = [
      keyed('r1', 'Коваленко', 'Александр', '1994-03-12'),
      keyed('r2', 'Іванов', 'Сергій', '1990-01-01', 'BC 1234'),
      keyed('r3', 'Бондаренко', 'Николай', '1980-05-05'),
      keyed('r4', 'Petrenko', 'Ivan', '1985-01-01'),
    ];
    const r = matchLists(requested, held);
    expect(r.matches).toEqual([
      { requested: 'r1', held: 'h1', basis: 'name-and-date-of-birth' },
      { requested: 'r2', held: 'h2', basis: 'serial-number' },
      { requested: 'r3', held: 'h3', basis: 'name-only' },
    ]);
    expect(r.unmatched).toEqual(['r4']);
  });

  it('does not match a namesake with another date of birth, and finds a person held twice', () => {
    const held = [keyed('h1', 'Kovalenko', 'Oleksandr', '12.03.1994'), keyed('h2', 'Коваленко', 'Олександр', '1994-03-12')];
    const r = matchLists([keyed('r1', 'Kovalenko', 'Oleksandr', '1970-01-01')], held);
    expect(r.matches).toEqual([]);
    expect(r.heldTwice).toEqual([['h1', 'h2']]);
  });
});

describe('CSV import', () => {
  it('reads a list with quoting and a semicolon delimiter', () => {
    const r = parsePersonsCsv(
      'familyName;givenName;dateOfBirth;category;homeState;medicalPriority\n"Kovalenko";"Oleksandr";12.03.1994;prisoner-of-war;ua;seriously-wounded\n',
    );
    expect(r.ok && r.persons[0]!.identity.givenName).toBe('Oleksandr');
    expect(r.ok && r.persons[0]!.medicalPriority).toBe('seriously-wounded');
  });

  it('names line and column of every problem, never the value', () => {
    const csv =
      'familyName,givenName,dateOfBirth,category,homeState\nZzyzxovich,Planted,31.02.1994,prisoner-of-war,ua\nKo,Ol,1990-01-01,soldier,ukraine\n';
    const r = parsePersonsCsv(csv);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.line, p.column, p.field])).toEqual([
      [2, 3, 'dateOfBirth'],
      [3, 4, 'category'],
      [3, 5, 'homeState'],
    ]);
    expect(JSON.stringify(r.problems)).not.toMatch(/Zzyzxovich|Planted|soldier|ukraine/);
  });

  it('refuses an unknown or missing column at the header', () => {
    const r = parsePersonsCsv('familyName,nickname\nA,B\n');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      'column 2 of the header is not a known column (expected: familyName, givenName, patronymic, rank, serialNumber, dateOfBirth, nextOfKin, category, medicalPriority, ageBand, homeState)',
      'the column givenName is missing',
      'the column category is missing',
      'the column homeState is missing',
    ]);
  });
});
