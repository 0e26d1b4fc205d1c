import type { Principal } from '../../src/core/access/roles';
import type { Result } from '../../src/core/errors';
import { decidePublish } from '../../src/core/exchanges/aggregates';
import { exchangeFormulas, resolveFormula } from '../../src/core/exchanges/formula';
import type { ListKind, PersonInput } from '../../src/core/exchanges/model';
import {
  decideAttest,
  decideConfirm,
  decideDeclare,
  decidePropose,
  decideReport,
  decideStage,
  decideVerify,
} from '../../src/core/exchanges/tranche';
import { currentDocument } from '../../src/core/framework/versions';
import type { EventDraft } from '../../src/core/journal/envelope';
import { ExchangeKeys, sealDeclaration } from '../../src/runtime/exchanges/sealed';
import type { Journal } from '../../src/runtime/journal';

/**
 * Prisoner exchanges in the demo, through Türkiye under alternative B of the exchange clause
 * (1:1 parity, the seriously wounded first). Each bureau writes the other side's people in its own
 * script and system: Russia's bureau lists Ukrainians as «Коваленко Александр» with 12.03.1994, and
 * Ukraine asks for "Kovalenko Oleksandr" born 1994-03-12 — the intermediary's blind matching pairs
 * them. A completed and published tranche, one whose handover counts differ, one in progress.
 * ILLUSTRATIVE: every name is synthetic, built from common given names and surnames.
 */

type Spelling = readonly [ukCyrillic: string, ukLatin: string, ruCyrillic: string, ruLatin: string];

const GIVEN: readonly Spelling[] = [
  ['Олександр', 'Oleksandr', 'Александр', 'Aleksandr'],
  ['Сергій', 'Serhii', 'Сергей', 'Sergey'],
  ['Микола', 'Mykola', 'Николай', 'Nikolay'],
  ['Андрій', 'Andrii', 'Андрей', 'Andrey'],
  ['Дмитро', 'Dmytro', 'Дмитрий', 'Dmitriy'],
  ['Юрій', 'Yurii', 'Юрий', 'Yuriy'],
  ['Михайло', 'Mykhailo', 'Михаил', 'Mikhail'],
  ['Олексій', 'Oleksii', 'Алексей', 'Aleksey'],
  ['Володимир', 'Volodymyr', 'Владимир', 'Vladimir'],
  ['Євген', 'Yevhen', 'Евгений', 'Evgeniy'],
  ['Павло', 'Pavlo', 'Павел', 'Pavel'],
  ['Василь', 'Vasyl', 'Василий', 'Vasiliy'],
  ['Петро', 'Petro', 'Пётр', 'Pyotr'],
  ['Ігор', 'Ihor', 'Игорь', 'Igor'],
];
const UKRAINIAN_SURNAMES: readonly Spelling[] = [
  ['Коваленко', 'Kovalenko', 'Коваленко', 'Kovalenko'],
  ['Шевченко', 'Shevchenko', 'Шевченко', 'Shevchenko'],
  ['Бондаренко', 'Bondarenko', 'Бондаренко', 'Bondarenko'],
  ['Ткаченко', 'Tkachenko', 'Ткаченко', 'Tkachenko'],
  ['Мельник', 'Melnyk', 'Мельник', 'Melnik'],
  ['Кравченко', 'Kravchenko', 'Кравченко', 'Kravchenko'],
  ['Олійник', 'Oliinyk', 'Олейник', 'Oleynik'],
  ['Лисенко', 'Lysenko', 'Лысенко', 'Lysenko'],
  ['Гончаренко', 'Honcharenko', 'Гончаренко', 'Goncharenko'],
  ['Руденко', 'Rudenko', 'Руденко', 'Rudenko'],
  ['Савченко', 'Savchenko', 'Савченко', 'Savchenko'],
];
const RUSSIAN_SURNAMES: readonly Spelling[] = [
  ['Смирнов', 'Smyrnov', 'Смирнов', 'Smirnov'],
  ['Кузнєцов', 'Kuznietsov', 'Кузнецов', 'Kuznetsov'],
  ['Попов', 'Popov', 'Попов', 'Popov'],
  ['Васильєв', 'Vasyliev', 'Васильев', 'Vasilyev'],
  ['Соколов', 'Sokolov', 'Соколов', 'Sokolov'],
  ['Новіков', 'Novikov', 'Новиков', 'Novikov'],
  ['Федоров', 'Fedorov', 'Фёдоров', 'Fyodorov'],
  ['Морозов', 'Morozov', 'Морозов', 'Morozov'],
  ['Волков', 'Volkov', 'Волков', 'Volkov'],
  ['Алексєєв', 'Aleksieiev', 'Алексеев', 'Alekseyev'],
  ['Лебедєв', 'Lebediev', 'Лебедев', 'Lebedev'],
  ['Єгоров', 'Yehorov', 'Егоров', 'Egorov'],
  ['Семенов', 'Semenov', 'Семёнов', 'Semyonov'],
];

const PER_SIDE = 30;

interface Synthetic {
  readonly given: Spelling;
  readonly family: Spelling;
  readonly born: [number, number, number];
  readonly wounded: boolean;
  readonly civilian: boolean;
}

/** Deterministic people: the same demo on every machine. */
function people(surnames: readonly Spelling[], offset: number): Synthetic[] {
  return Array.from({ length: PER_SIDE }, (_, i) => ({
    given: GIVEN[(i * 5 + offset) % GIVEN.length]!,
    family: surnames[(i * 3 + offset) % surnames.length]!,
    born: [1975 + ((i * 7 + offset) % 28), 1 + ((i * 5 + offset) % 12), 1 + ((i * 11 + offset) % 28)],
    wounded: i < 2,
    civilian: i % 9 === 8,
  }));
}

const pad = (n: number) => String(n).padStart(2, '0');
const ageBand = (year: number): PersonInput['ageBand'] =>
  2026 - year <= 25 ? '18-25' : 2026 - year <= 35 ? '26-35' : 2026 - year <= 45 ? '36-45' : '46-60';

/** A person as the other side's bureau writes them: in its own script, dates in its own format. */
function asHeldBy(side: 'ua' | 'ru', p: Synthetic, homeState: string, i: number): PersonInput {
  const [y, m, d] = p.born;
  const script = side === 'ru' ? 2 : 0;
  return {
    category: p.civilian ? 'civilian-detainee' : 'prisoner-of-war',
    medicalPriority: p.wounded ? 'seriously-wounded' : 'none',
    ageBand: ageBand(y),
    homeState,
    identity: {
      familyName: p.family[script],
      givenName: p.given[script],
      dateOfBirth: `${pad(d)}.${pad(m)}.${y}`,
      ...(p.civilian
        ? {}
        : { rank: side === 'ru' ? 'рядовой' : 'рядовий', serialNumber: `${side === 'ru' ? 'ВС' : 'ЗСУ'}-${100_000 + i * 37}` }),
      nextOfKin: side === 'ru' ? 'сведения у бюро' : 'відомості в бюро',
    },
  };
}

/** A person as their own side asks for them: Latin national transliteration, ISO dates. */
function asRequestedBy(side: 'ua' | 'ru', p: Synthetic): PersonInput {
  const [y, m, d] = p.born;
  const latin = side === 'ua' ? 1 : 3;
  return {
    category: p.civilian ? 'civilian-detainee' : 'prisoner-of-war',
    medicalPriority: p.wounded ? 'seriously-wounded' : 'none',
    ageBand: ageBand(y),
    homeState: side,
    identity: { familyName: p.family[latin], givenName: p.given[latin], dateOfBirth: `${y}-${pad(m)}-${pad(d)}` },
  };
}

const principal = (username: string, party: string, role: 'bureau' | 'intermediary'): Principal => ({
  kind: 'user',
  id: username,
  username,
  party,
  roles: [role],
  grants: [],
  scopes: null,
});

export async function seedExchangesDemo(journal: Journal): Promise<void> {
  const keys = new ExchangeKeys(journal.store);
  const state = () => journal.image.exchanges;
  const append = async (drafts: Result<EventDraft[]>, who: Principal) => {
    if (!drafts.ok) throw new Error(`exchanges demo is inconsistent: ${drafts.message}`);
    const r = await journal.append({ drafts: drafts.value, actor: who.username, party: who.party });
    if (!r.ok) throw new Error(`exchanges demo could not be appended: ${r.message}`);
  };
  const uaBureau = principal('ua-bureau', 'ua', 'bureau');
  const ruBureau = principal('ru-bureau', 'ru', 'bureau');
  const tr = principal('intermediary', 'tr', 'intermediary');
  const declare = async (who: Principal, list: ListKind, persons: PersonInput[]) => {
    const sealed = await sealDeclaration(keys, who.party!, list, 'tr', persons);
    await append(decideDeclare(who.party!, list, 'tr', sealed), who);
    return sealed.map((p) => p.id);
  };

  const russians = people(RUSSIAN_SURNAMES, 1); // held by ua
  const ukrainians = people(UKRAINIAN_SURNAMES, 4); // held by ru
  const uaHeld = await declare(
    uaBureau,
    'held',
    russians.map((p, i) => asHeldBy('ua', p, 'ru', i)),
  );
  // ru declares one of the Ukrainians twice (a second record with the date written the other way)
  const twice = asHeldBy('ru', ukrainians[PER_SIDE - 1]!, 'ua', PER_SIDE - 1);
  const twin = { ...twice.identity, dateOfBirth: twice.identity.dateOfBirth!.split('.').reverse().join('-') };
  delete twin.serialNumber;
  const ruHeld = await declare(ruBureau, 'held', [...ukrainians.map((p, i) => asHeldBy('ru', p, 'ua', i)), { ...twice, identity: twin }]);
  // each side asks for its own people: most are held, a few are not declared by the other side
  const missingUa: Synthetic = { given: GIVEN[9]!, family: UKRAINIAN_SURNAMES[10]!, born: [1988, 4, 17], wounded: false, civilian: false };
  const missingRu: Synthetic = { given: GIVEN[6]!, family: RUSSIAN_SURNAMES[12]!, born: [1996, 9, 3], wounded: false, civilian: false };
  await declare(
    uaBureau,
    'requested',
    [...ukrainians.slice(0, 27), missingUa].map((p) => asRequestedBy('ua', p)),
  );
  await declare(
    ruBureau,
    'requested',
    [...russians.slice(0, 24), missingRu].map((p) => asRequestedBy('ru', p)),
  );
  await append(decideReport(state(), ruBureau, ruHeld[25]!, 'dead'), ruBureau);

  const option = resolveFormula(exchangeFormulas(currentDocument(journal.image.framework)), 'exchange-main', 'c-exchange-formula-b');
  if (!option.ok) throw new Error(`exchanges demo: ${option.message}`);
  const propose = async (id: string, title: string, from: number, to: number) => {
    await append(
      decidePropose(
        state(),
        tr,
        option.value,
        {
          formula: 'exchange-main',
          alternative: 'c-exchange-formula-b',
          title,
          persons: { ua: uaHeld.slice(from, to), ru: ruHeld.slice(from, to) },
        },
        id,
      ),
      tr,
    );
    return [...uaHeld.slice(from, to), ...ruHeld.slice(from, to)];
  };
  const verify = async (id: string, persons: string[], refuses: string[] = []) => {
    for (const person of persons)
      await append(
        decideVerify(state(), tr, id, { person, identityConfirmed: true, interview: refuses.includes(person) ? 'refuses' : 'consents' }),
        tr,
      );
  };

  // Tranche 1: ten for ten, the four seriously wounded first; completed and published.
  const first = await propose('demo-tranche-1', 'Tranche 1 — Ankara, wounded first', 0, 10);
  await verify('demo-tranche-1', first);
  await append(decideStage(state(), tr, 'demo-tranche-1', undefined), tr);
  for (const who of [tr, uaBureau, ruBureau])
    await append(decideAttest(state(), who, 'demo-tranche-1', { released: { ua: 10, ru: 10 } }), who);
  await append(decideConfirm(state(), tr, 'demo-tranche-1'), tr);
  await append(decidePublish(state(), tr, 'demo-tranche-1'), tr);

  // Tranche 2: six for six handed over, but Russia's bureau counted five from Ukraine (230 vs 248, in small).
  const second = await propose('demo-tranche-2', 'Tranche 2 — counts disputed', 10, 16);
  await verify('demo-tranche-2', second);
  await append(decideStage(state(), tr, 'demo-tranche-2', undefined), tr);
  await append(decideAttest(state(), tr, 'demo-tranche-2', { released: { ua: 6, ru: 6 } }), tr);
  await append(decideAttest(state(), uaBureau, 'demo-tranche-2', { released: { ua: 6, ru: 6 } }), uaBureau);
  await append(decideAttest(state(), ruBureau, 'demo-tranche-2', { released: { ua: 5, ru: 6 } }), ruBureau);

  // Tranche 3: in progress; three interviews done, one person refuses repatriation and leaves the tranche.
  const third = await propose('demo-tranche-3', 'Tranche 3 — in preparation', 16, 21);
  await verify('demo-tranche-3', [third[0]!, third[1]!, third[5]!], [third[1]!]);
}
