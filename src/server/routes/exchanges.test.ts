import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParty } from '../../core/identity/identity';
import { addTestUsers, signInEach, testNode, type TestNode } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';

let node: TestNode;
const as: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  node = await testNode();
  await seedFrameworks(node.journal);
  const tr = createParty(node.journal.image.identity, { id: 'tr', name: 'Türkiye', kind: 'state' });
  if (!tr.ok) throw new Error(tr.message);
  await node.journal.append({ drafts: tr.value, actor: 'test', party: null });
  await addTestUsers(node, [
    ['ru-bureau', 'ru', 'bureau'],
    ['tr-intermediary', 'tr', 'intermediary'],
  ]);
  Object.assign(
    as,
    await signInEach(node, {
      ua: 'bureau-user',
      ru: 'ru-bureau',
      tr: 'tr-intermediary',
      mediator: 'mediator-user',
      observer: 'observer-user',
      delegate: 'delegate-user',
      admin: 'admin-user',
    }),
  );
});
afterAll(async () => {
  await node.close();
});

const post = (who: string, url: string, payload?: unknown) =>
  node.app.inject({
    method: 'POST',
    url,
    headers: as[who],
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
const get = (who: string, url: string) => node.app.inject({ method: 'GET', url, headers: as[who] });

const held = (family: string, given: string, dob: string, medicalPriority = 'none') => ({
  category: 'prisoner-of-war',
  medicalPriority,
  ageBand: '26-35',
  homeState: 'ru',
  identity: { familyName: family, givenName: given, dateOfBirth: dob, rank: 'private' },
});

const RU_CSV = [
  'familyName,givenName,patronymic,dateOfBirth,serialNumber,category,medicalPriority,ageBand,homeState',
  'Коваленко,Олександр,Петрович,12.03.1994,,prisoner-of-war,seriously-wounded,26-35,ua',
  'Шевченко,Сергій,,1990-07-01,,prisoner-of-war,none,26-35,ua',
  'Бондаренко,Микола,,05/05/1980,,civilian-detainee,none,46-60,ua',
].join('\n');

let uaHeld: string[] = [];
let ruHeld: string[] = [];
let uaRequested: string[] = [];

describe('lists', () => {
  it('declares held persons by form, sealed: the answer carries pseudonyms only', async () => {
    const res = await post('ua', '/api/v1/exchanges/persons', {
      list: 'held',
      persons: [
        held('Ivanov', 'Dmitriy', '1999-01-02', 'seriously-wounded'),
        held('Petrov', 'Pavel', '1985-11-30'),
        held('Sidorov', 'Yuriy', '1992-06-15'),
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    uaHeld = res.json().persons;
    expect(uaHeld).toHaveLength(3);
    expect(uaHeld[0]).toMatch(/^UA-H-[A-Z2-9]{8}$/);
    expect(res.body).not.toContain('Ivanov');
  });

  it('imports CSV with positioned errors and stores nothing when a row is bad', async () => {
    const head = node.journal.head;
    const bad = RU_CSV + '\nПетров,Іван,,31.02.1990,,prisoner-of-war,none,26-35,ua';
    const res = await post('ru', '/api/v1/exchanges/imports', { list: 'held', csv: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe(
      'line 5, column 4 (dateOfBirth): not a date we can read (write 1994-03-12, 12.03.1994 or 12 March 1994)',
    );
    expect(res.json().pointer).toBe('/csv');
    expect(res.body).not.toContain('Петров');
    expect(node.journal.head).toBe(head);

    const good = await post('ru', '/api/v1/exchanges/imports', { list: 'held', csv: RU_CSV });
    expect(good.statusCode, good.body).toBe(201);
    ruHeld = good.json().persons;
    expect(ruHeld).toHaveLength(3);
  });

  it('refuses an unreadable date of birth on the form with a pointer, and a delegate may not declare', async () => {
    const res = await post('ua', '/api/v1/exchanges/persons', { list: 'held', persons: [held('A', 'B', 'yesterday')] });
    expect(res.statusCode).toBe(400);
    expect(res.json().pointer).toBe('/persons/0/identity/dateOfBirth');
    expect(
      (await post('delegate', '/api/v1/exchanges/persons', { list: 'held', persons: [held('A', 'B', '1990-01-01')] })).statusCode,
    ).toBe(403);
  });

  it('shows each bureau its own records, the intermediary both, the mediator none', async () => {
    const ua = (await get('ua', '/api/v1/exchanges/persons')).json().persons as { id: string; side: string }[];
    expect(new Set(ua.map((p) => p.side))).toEqual(new Set(['ua']));
    const tr = (await get('tr', '/api/v1/exchanges/persons?list=held')).json().persons as { side: string }[];
    expect(tr).toHaveLength(6);
    expect((await get('mediator', '/api/v1/exchanges/persons')).statusCode).toBe(403);
    expect((await get('observer', '/api/v1/exchanges/persons')).statusCode).toBe(403);
  });

  it('opens an identity for its bureau and the intermediary only; another side gets "no such person"', async () => {
    const own = await get('ru', `/api/v1/exchanges/persons/${ruHeld[0]}/identity`);
    expect(own.statusCode).toBe(200);
    expect(own.json().identity).toMatchObject({ familyName: 'Коваленко', givenName: 'Олександр', dateOfBirth: '12.03.1994' });
    expect((await get('tr', `/api/v1/exchanges/persons/${ruHeld[0]}/identity`)).json().identity.familyName).toBe('Коваленко');
    const other = await get('ua', `/api/v1/exchanges/persons/${ruHeld[0]}/identity`);
    const missing = await get('ua', `/api/v1/exchanges/persons/RU-H-NOTHERE0/identity`);
    expect(other.statusCode).toBe(404);
    expect(other.json().detail).toBe(missing.json().detail.replace('RU-H-NOTHERE0', ruHeld[0]!));
    expect((await get('mediator', `/api/v1/exchanges/persons/${ruHeld[0]}/identity`)).statusCode).toBe(403);
  });
});

describe('reconciliation', () => {
  it('matches requested against held across transliterations and date formats, and types what is missing', async () => {
    const res = await post('ua', '/api/v1/exchanges/persons', {
      list: 'requested',
      persons: [
        {
          category: 'prisoner-of-war',
          homeState: 'ua',
          identity: { familyName: 'Kovalenko', givenName: 'Aleksandr', dateOfBirth: '1994-03-12' },
        },
        {
          category: 'prisoner-of-war',
          homeState: 'ua',
          identity: { familyName: 'Shevchenko', givenName: 'Sergei', dateOfBirth: '1 July 1990' },
        },
        {
          category: 'prisoner-of-war',
          homeState: 'ua',
          identity: { familyName: 'Melnyk', givenName: 'Andrii', dateOfBirth: '1991-02-03' },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    uaRequested = res.json().persons;
    const tr = (await get('tr', '/api/v1/exchanges/reconciliation')).json();
    expect(tr.matches).toEqual([
      { requested: uaRequested[0], held: ruHeld[0], basis: 'name-and-date-of-birth', requestedBy: 'ua' },
      { requested: uaRequested[1], held: ruHeld[1], basis: 'name-and-date-of-birth', requestedBy: 'ua' },
    ]);
    expect(tr.discrepancies).toEqual([
      {
        kind: 'requested-not-held',
        side: 'ua',
        persons: [uaRequested[2]],
        tranche: null,
        detail: 'requested by ua, not declared held by ru',
      },
    ]);
    // ru learns that a held record of its own is requested, by pseudonym; never ua's unmatched request
    const ru = (await get('ru', '/api/v1/exchanges/reconciliation')).json();
    expect(ru.discrepancies).toEqual([]);
    expect((await get('mediator', '/api/v1/exchanges/reconciliation')).statusCode).toBe(403);
  });

  it('a person reported dead becomes a typed discrepancy the requesting bureau sees', async () => {
    const r = await post('ru', `/api/v1/exchanges/persons/${ruHeld[1]}/status`, { status: 'dead' });
    expect(r.statusCode).toBe(201);
    expect((await post('ru', `/api/v1/exchanges/persons/${uaHeld[0]}/status`, { status: 'dead' })).statusCode).toBe(404);
    const ua = (await get('ua', '/api/v1/exchanges/reconciliation')).json();
    expect(ua.discrepancies).toContainEqual({
      kind: 'reported-dead',
      side: 'ru',
      persons: [uaRequested[1]],
      tranche: null,
      detail: 'held record of ru reported dead',
    });
  });
});

describe('tranches', () => {
  const formula = { formula: 'exchange-main', alternative: 'c-exchange-formula-b' };
  let tranche = '';

  it('refuses an unbalanced tranche with what is missing, and asks which alternative of a bracketed formula', async () => {
    const ambiguous = await post('tr', '/api/v1/exchanges/tranches', {
      formula: 'exchange-main',
      title: 'T1',
      persons: { ua: [uaHeld[0]], ru: [] },
    });
    expect(ambiguous.json().detail).toBe(
      'formula exchange-main is bracketed: name the alternative (c-exchange-formula-a or c-exchange-formula-b)',
    );
    const res = await post('tr', '/api/v1/exchanges/tranches', {
      ...formula,
      title: 'T1',
      persons: { ua: [uaHeld[0], uaHeld[1], uaHeld[2]], ru: [ruHeld[0]] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('parity 1:1 needs 2 more persons from ru');
    const check = await post('tr', '/api/v1/exchanges/tranches/check', {
      ...formula,
      title: 'T1',
      persons: { ua: [uaHeld[0], uaHeld[1], uaHeld[2]], ru: [ruHeld[0]] },
    });
    expect(check.json()).toMatchObject({ passes: false, counts: { ua: { total: 3 }, ru: { total: 1 } } });
    expect(
      (await post('ua', '/api/v1/exchanges/tranches', { ...formula, title: 'T1', persons: { ua: [uaHeld[0]], ru: [ruHeld[0]] } }))
        .statusCode,
    ).toBe(403);
  });

  it('runs a tranche to completion; a refusal removes the person; counts attested by all three', async () => {
    // a dead person cannot be released
    const dead = await post('tr', '/api/v1/exchanges/tranches', {
      ...formula,
      title: 'T1',
      persons: { ua: [uaHeld[0], uaHeld[1]], ru: [ruHeld[0], ruHeld[1]] },
    });
    expect(dead.json()).toMatchObject({ pointer: '/persons/ru/1', detail: `${ruHeld[1]} cannot be released: reported dead` });
    const res = await post('tr', '/api/v1/exchanges/tranches', {
      ...formula,
      title: 'First tranche',
      persons: { ua: [uaHeld[0], uaHeld[1], uaHeld[2]], ru: [ruHeld[0], ruHeld[2], ...[]] },
    });
    expect(res.statusCode).toBe(422); // 3 for 2
    const ok = await post('tr', '/api/v1/exchanges/tranches', {
      ...formula,
      title: 'First tranche',
      persons: { ua: [uaHeld[0], uaHeld[1]], ru: [ruHeld[0], ruHeld[2]] },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    tranche = ok.json().id;
    const url = `/api/v1/exchanges/tranches/${tranche}`;
    for (const p of [uaHeld[0], ruHeld[0], ruHeld[2]])
      expect((await post('tr', `${url}/verifications`, { person: p, identityConfirmed: true, interview: 'consents' })).statusCode).toBe(
        201,
      );
    expect(
      (await post('tr', `${url}/verifications`, { person: uaHeld[1], identityConfirmed: true, interview: 'refuses' })).statusCode,
    ).toBe(201);
    const after = (await get('tr', url)).json();
    expect(after.persons.find((p: { id: string }) => p.id === uaHeld[1]).state).toBe('refused');
    expect(after.check.problems.map((p: { message: string }) => p.message)).toContain('parity 1:1 needs 1 more person from ua');
    expect((await post('tr', `${url}/stage`, {})).statusCode).toBe(201);
    expect((await post('tr', `${url}/confirm`)).json().detail).toBe(
      `tranche ${tranche} cannot be confirmed: waiting for the attestation of tr, ua, ru`,
    );
    for (const who of ['tr', 'ua', 'ru'])
      expect((await post(who, `${url}/attestations`, { released: { ua: 1, ru: 2 } })).statusCode).toBe(201);
    expect((await post('delegate', `${url}/attestations`, { released: { ua: 1, ru: 2 } })).statusCode).toBe(403);
    expect((await post('tr', `${url}/confirm`)).statusCode).toBe(201);
    expect((await get('ru', url)).json().state).toBe('completed');
  });

  it('shows aggregates: exact to the intermediary, "<5" to the mediator; observers read published counts only', async () => {
    const tr = (await get('tr', '/api/v1/exchanges/aggregates')).json();
    expect(tr.tranches[0]).toMatchObject({ released: { ua: 1, ru: 2 }, refused: 1 });
    const med = (await get('mediator', '/api/v1/exchanges/aggregates')).json();
    expect(med.tranches[0]).toMatchObject({ released: { ua: '<5', ru: '<5' }, refused: '<5' });
    expect(med.discrepancies['requested-not-held']).toBe('<5');
    expect((await get('observer', '/api/v1/exchanges/aggregates')).statusCode).toBe(403);
    expect((await post('tr', `/api/v1/exchanges/tranches/${tranche}/publish`)).statusCode).toBe(201);
    const pub = await node.app.inject({ method: 'GET', url: '/api/v1/exchanges/published' });
    expect(pub.json().published[0]).toMatchObject({ title: 'First tranche', released: { ua: '<5', ru: '<5' } });
  });
});

describe('retention', () => {
  it('destroying the keys makes the identities unreadable for everyone, and the journal still verifies', async () => {
    expect((await get('ua', `/api/v1/exchanges/persons/${uaHeld[2]}/identity`)).statusCode).toBe(200);
    expect((await post('ua', '/api/v1/exchanges/keys/ua/destroy')).statusCode).toBe(403);
    expect((await post('admin', '/api/v1/exchanges/keys/ua/destroy')).json().destroyed).toBe(true);
    const ua = await get('ua', `/api/v1/exchanges/persons/${uaHeld[2]}/identity`);
    expect(ua.statusCode).toBe(422);
    expect(ua.json().detail).toBe(`the key of ua was destroyed: the identity of ${uaHeld[2]} can no longer be read`);
    expect((await get('tr', `/api/v1/exchanges/persons/${uaHeld[2]}/identity`)).statusCode).toBe(200);
    await post('admin', '/api/v1/exchanges/keys/tr/destroy');
    expect((await get('tr', `/api/v1/exchanges/persons/${uaHeld[2]}/identity`)).statusCode).toBe(422);
    const status = await get('admin', '/api/v1/journal/status');
    expect(status.statusCode).toBe(200);
  });
});
