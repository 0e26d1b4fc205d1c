import { z } from 'zod';
import { Milestone } from '../framework/model';

/**
 * The prosperity package's vocabulary (issue 9): who gives and receives, what is built where, and
 * money that moves pledge → commitment → tranche → disbursement → expenditure, released as peace
 * holds.
 *
 * Events and streams. Every money event of a pledge lives in the pledge's stream (`pledge/<id>`) and
 * each command states the version it decided on, so two people committing or disbursing at once can
 * never together exceed what was pledged or committed:
 * - `prosperity.actor-registered` (`prosperity-actor/<id>`), `prosperity.project-registered` (`project/<id>`)
 * - `prosperity.rate-recorded` (`rate/<base>-<quote>`)
 * - `pledge.made`, `commitment.made`, `tranche.planned`, `tranche.released`, `disbursement.made`,
 *   `expenditure.recorded` (`pledge/<id>`)
 * - `milestone.attested` (`attestation/<party>`)
 * - `tranche.conditions-changed` (`tranche-status/<id>`): appended by the node when a tranche turns
 *   releasable or locked again (a verified breach, time passing, a milestone reached) — the record
 *   of when it flipped and why.
 * All carry the visibility `process`: the package is open to every participant, and its exports are
 * the public face.
 */

export const PROSPERITY_VISIBILITY = ['process'];

export const ACTOR_KINDS = ['donor-state', 'multilateral', 'development-bank', 'private-investor', 'insurer', 'recipient'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const INSTRUMENTS = ['grant', 'loan', 'equity', 'guarantee', 'war-risk-insurance'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** Sectors, each with the OECD DAC 5-digit purpose code the IATI export reports. */
export const SECTORS = {
  energy: { dac: '23630', en: 'Energy grid', uk: 'Енергомережі' },
  housing: { dac: '16040', en: 'Housing', uk: 'Житло' },
  transport: { dac: '21020', en: 'Roads and bridges', uk: 'Дороги й мости' },
  ports: { dac: '21040', en: 'Ports and shipping', uk: 'Порти й судноплавство' },
  water: { dac: '14020', en: 'Water and sanitation', uk: 'Водопостачання' },
  health: { dac: '12230', en: 'Health facilities', uk: 'Охорона здоровʼя' },
  education: { dac: '11120', en: 'Schools', uk: 'Освіта' },
  demining: { dac: '15250', en: 'Demining', uk: 'Розмінування' },
  agriculture: { dac: '31120', en: 'Agriculture', uk: 'Сільське господарство' },
  enterprise: { dac: '25010', en: 'Private enterprise', uk: 'Підприємництво' },
  governance: { dac: '15110', en: 'Public administration', uk: 'Державне управління' },
} as const;
export type Sector = keyof typeof SECTORS;
export const SECTOR_CODES = Object.keys(SECTORS) as Sector[];

/**
 * Ukraine's first-level units by ISO 3166-2:UA code, with the names the boundary file uses
 * (../shared/data/boundaries, property ADMIN_1 / name_uk), so the map joins on them.
 */
export const OBLASTS = {
  'UA-05': { uk: 'Вінницька область', en: 'Vinnytsia Oblast' },
  'UA-07': { uk: 'Волинська область', en: 'Volyn Oblast' },
  'UA-09': { uk: 'Луганська область', en: 'Luhansk Oblast' },
  'UA-12': { uk: 'Дніпропетровська область', en: 'Dnipropetrovsk Oblast' },
  'UA-14': { uk: 'Донецька область', en: 'Donetsk Oblast' },
  'UA-18': { uk: 'Житомирська область', en: 'Zhytomyr Oblast' },
  'UA-21': { uk: 'Закарпатська область', en: 'Zakarpattia Oblast' },
  'UA-23': { uk: 'Запорізька область', en: 'Zaporizhzhia Oblast' },
  'UA-26': { uk: 'Івано-Франківська область', en: 'Ivano-Frankivsk Oblast' },
  'UA-30': { uk: 'Місто Київ', en: 'Kyiv City' },
  'UA-32': { uk: 'Київська область', en: 'Kyiv Oblast' },
  'UA-35': { uk: 'Кіровоградська область', en: 'Kirovohrad Oblast' },
  'UA-40': { uk: 'Місто Севастополь', en: 'Sevastopol City' },
  'UA-43': { uk: 'Автономна Республіка Крим', en: 'Autonomous Republic of Crimea' },
  'UA-46': { uk: 'Львівська область', en: 'Lviv Oblast' },
  'UA-48': { uk: 'Миколаївська область', en: 'Mykolaiv Oblast' },
  'UA-51': { uk: 'Одеська область', en: 'Odesa Oblast' },
  'UA-53': { uk: 'Полтавська область', en: 'Poltava Oblast' },
  'UA-56': { uk: 'Рівненська область', en: 'Rivne Oblast' },
  'UA-59': { uk: 'Сумська область', en: 'Sumy Oblast' },
  'UA-61': { uk: 'Тернопільська область', en: 'Ternopil Oblast' },
  'UA-63': { uk: 'Харківська область', en: 'Kharkiv Oblast' },
  'UA-65': { uk: 'Херсонська область', en: 'Kherson Oblast' },
  'UA-68': { uk: 'Хмельницька область', en: 'Khmelnytskyi Oblast' },
  'UA-71': { uk: 'Черкаська область', en: 'Cherkasy Oblast' },
  'UA-74': { uk: 'Чернігівська область', en: 'Chernihiv Oblast' },
  'UA-77': { uk: 'Чернівецька область', en: 'Chernivtsi Oblast' },
} as const;
export type Oblast = keyof typeof OBLASTS;
export const OBLAST_CODES = Object.keys(OBLASTS) as Oblast[];

const Slug = z
  .string()
  .max(64, 'an id has at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and dashes');
const Day = z.iso.date({ message: 'a calendar date, YYYY-MM-DD' });
/** Amounts are strings: a JSON number is a float, and floats lose cents. */
export const Amount = z.string({ error: 'an amount is a decimal string such as "1250000.00", never a JSON number' }).max(40);
const CurrencyText = z.string({ error: 'a currency is an ISO 4217 code such as "EUR"' }).max(8);
const Text = (max: number) => z.string().trim().min(1, 'this text is empty').max(max);

export const ActorInput = z.strictObject({
  id: Slug,
  name: Text(200),
  kind: z.enum(ACTOR_KINDS),
  /** The platform party the actor is (eu, us…), when it takes part in the process itself. */
  party: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .nullable()
    .default(null),
  /** ISO 3166-1 alpha-2 country of the actor (for IATI/OCDS), when it has one. */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a country is ISO 3166-1 alpha-2, e.g. DE')
    .nullable()
    .default(null),
});
export type ActorInput = z.infer<typeof ActorInput>;

export const ProjectInput = z.strictObject({
  id: Slug,
  title: Text(300),
  description: z.string().max(5000).default(''),
  sector: z.enum(SECTOR_CODES as [Sector, ...Sector[]], { error: `a sector is one of: ${SECTOR_CODES.join(', ')}` }),
  oblast: z.enum(OBLAST_CODES as [Oblast, ...Oblast[]], { error: 'an oblast is an ISO 3166-2:UA code such as UA-23 (Zaporizhzhia)' }),
  recipient: Slug,
  /** The project's id on Ukraine's DREAM platform, when it is registered there. */
  dreamId: z.string().min(1).max(100).nullable().default(null),
  /** The Open Contracting id (ocid) of its procurement on Prozorro, when there is one. */
  ocid: z.string().min(1).max(200).nullable().default(null),
});
export type ProjectInput = z.infer<typeof ProjectInput>;

export const RateInput = z.strictObject({
  base: CurrencyText,
  quote: CurrencyText,
  rate: z.string({ error: 'a rate is a decimal string such as "0.9215"' }).max(40),
  on: Day,
  source: Text(200),
});
export type RateInput = z.infer<typeof RateInput>;

/** Ids of money records: given by the client (stable for imports and demos) or made by the server. */
const RecordId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'an id is lower-case letters, digits and dashes');

export const PledgeInput = z.strictObject({
  id: RecordId.optional(),
  donor: Slug,
  instrument: z.enum(INSTRUMENTS),
  currency: CurrencyText,
  amount: Amount,
  on: Day,
  title: Text(300),
});
export type PledgeInput = z.infer<typeof PledgeInput>;

export const CommitmentInput = z.strictObject({
  id: RecordId.optional(),
  pledge: z.string().min(1).max(100),
  project: Slug,
  amount: Amount,
  on: Day,
});
export type CommitmentInput = z.infer<typeof CommitmentInput>;

/** A condition of a tranche: a funding condition of the framework, by id, or one milestone of its kinds. */
export const ConditionInput = z.union([z.strictObject({ type: z.literal('framework'), condition: Slug }), Milestone]);
export type ConditionInput = z.infer<typeof ConditionInput>;

export const TrancheInput = z.strictObject({
  id: RecordId.optional(),
  commitment: z.string().min(1).max(100),
  label: Text(200),
  amount: Amount,
  /** The person (username) whose release the tranche waits for once its conditions hold. */
  approver: z.string().min(1).max(100),
  conditions: z.array(ConditionInput).max(20).default([]),
  plannedOn: Day,
});
export type TrancheInput = z.infer<typeof TrancheInput>;

export const ReleaseInput = z.strictObject({ note: z.string().max(2000).default('') });
export type ReleaseInput = z.infer<typeof ReleaseInput>;

export const DisbursementInput = z.strictObject({
  id: RecordId.optional(),
  amount: Amount,
  on: Day,
  note: z.string().max(2000).default(''),
});
export type DisbursementInput = z.infer<typeof DisbursementInput>;

export const ExpenditureInput = z.strictObject({ id: RecordId.optional(), amount: Amount, on: Day, description: Text(2000) });
export type ExpenditureInput = z.infer<typeof ExpenditureInput>;

export const AttestationInput = z.strictObject({ what: z.string().trim().min(1).max(500) });
export type AttestationInput = z.infer<typeof AttestationInput>;

export const PROSPERITY_EVENT_TYPES = [
  'prosperity.actor-registered',
  'prosperity.project-registered',
  'prosperity.rate-recorded',
  'pledge.made',
  'commitment.made',
  'tranche.planned',
  'tranche.released',
  'disbursement.made',
  'expenditure.recorded',
  'milestone.attested',
  'tranche.conditions-changed',
] as const;

export const pledgeStream = (id: string) => `pledge/${id}`;
export const trancheStatusStream = (id: string) => `tranche-status/${id}`;
