import { z } from 'zod';

/**
 * Prisoner exchanges: what a person on a list is, in two halves. The journal half (pseudonymous id,
 * category, medical priority, age band, home state, keyed hashes) is what every projection folds; the
 * identity half (name, rank, serial number, date of birth, next of kin) only ever travels sealed.
 */

export const PERSON_CATEGORIES = ['prisoner-of-war', 'civilian-detainee'] as const;
export const PersonCategory = z.enum(PERSON_CATEGORIES);
export type PersonCategory = z.infer<typeof PersonCategory>;

export const MEDICAL_PRIORITIES = ['none', 'seriously-wounded', 'seriously-sick'] as const;
export const MedicalPriority = z.enum(MEDICAL_PRIORITIES);
export type MedicalPriority = z.infer<typeof MedicalPriority>;

export const AGE_BANDS = ['under-18', '18-25', '26-35', '36-45', '46-60', 'over-60', 'unknown'] as const;
export const AgeBand = z.enum(AGE_BANDS);
export type AgeBand = z.infer<typeof AgeBand>;

/** Held: persons this side detains. Requested: its own people it asks the other side to return. */
export const LIST_KINDS = ['held', 'requested'] as const;
export const ListKind = z.enum(LIST_KINDS);
export type ListKind = z.infer<typeof ListKind>;

const Text = (max: number) => z.string().trim().min(1).max(max);

/** The sealed half. Never logged, never in the journal, an error or an export in clear. */
export const Identity = z.strictObject({
  familyName: Text(120),
  givenName: Text(120),
  patronymic: Text(120).optional(),
  rank: Text(80).optional(),
  serialNumber: Text(40).optional(),
  /** As written on the source record; normalised for matching, kept as written in the seal. */
  dateOfBirth: Text(40).optional(),
  nextOfKin: Text(300).optional(),
});
export type Identity = z.infer<typeof Identity>;

/** What a bureau declares for one person: the open attributes and the identity to seal. */
export const PersonInput = z.strictObject({
  category: PersonCategory,
  medicalPriority: MedicalPriority.default('none'),
  ageBand: AgeBand.default('unknown'),
  homeState: z.string().regex(/^[a-z]{2}$/, 'a home state is a two-letter code such as ua or ru'),
  identity: Identity,
});
export type PersonInput = z.infer<typeof PersonInput>;

/**
 * Keyed hashes (HMAC with the intermediary's matching key) of the normalised identifiers. Equal
 * hashes mean equal normalised values; without the key nobody can test a guess.
 */
export const MatchKeys = z.strictObject({
  serial: z.string().nullable(),
  nameDob: z.string().nullable(),
  name: z.string(),
});
export type MatchKeys = z.infer<typeof MatchKeys>;

/** AES-256-GCM: the identity under a data key; the data key wrapped under each holder's key. */
export const SealedIdentity = z.strictObject({
  iv: z.string(),
  data: z.string(),
  tag: z.string(),
  /** party → the data key wrapped with that party's key-encryption key (iv.data.tag, base64url) */
  keys: z.record(z.string(), z.string()),
});
export type SealedIdentity = z.infer<typeof SealedIdentity>;

/** The journal half of a declared person. */
export interface DeclaredPerson {
  readonly id: string;
  readonly category: PersonCategory;
  readonly medicalPriority: MedicalPriority;
  readonly ageBand: AgeBand;
  readonly homeState: string;
  readonly keys: MatchKeys;
  readonly sealed: SealedIdentity;
}

export const PERSON_REPORTS = ['dead', 'released'] as const;
export const PersonReport = z.enum(PERSON_REPORTS);
export type PersonReport = z.infer<typeof PersonReport>;

export const ListInput = z.strictObject({
  list: ListKind,
  persons: z.array(PersonInput).min(1).max(1000),
});
export const CsvImportInput = z.strictObject({
  list: ListKind,
  csv: z.string().min(1).max(20_000_000),
});
export const StatusInput = z.strictObject({
  status: PersonReport,
});

export const TrancheInput = z.strictObject({
  formula: z.string().min(1).max(100),
  /** The alternative of a bracketed clause whose formula applies, when the formula id is ambiguous. */
  alternative: z.string().min(1).max(100).optional(),
  title: z.string().trim().min(1).max(200),
  /** Held persons released by each side: side party id → pseudonymous ids. */
  persons: z.record(z.string(), z.array(z.string().min(1).max(100)).max(20_000)),
});
export type TrancheInput = z.infer<typeof TrancheInput>;

export const INTERVIEW_OUTCOMES = ['consents', 'refuses'] as const;
export const VerificationInput = z.strictObject({
  person: z.string().min(1).max(100),
  identityConfirmed: z.boolean(),
  /** The private interview is recorded only as its outcome. */
  interview: z.enum(INTERVIEW_OUTCOMES),
});
export type VerificationInput = z.infer<typeof VerificationInput>;

export const StageInput = z.strictObject({ persons: z.array(z.string().min(1).max(100)).max(20_000).optional() });
export const AttestationInput = z.strictObject({
  /** Persons handed over by each side, as this attester counted them. */
  released: z.record(z.string(), z.number().int().min(0).max(1_000_000)),
});
export type AttestationInput = z.infer<typeof AttestationInput>;

/** Person states within one tranche: an explicit transition table (see tranche.ts). */
export const PERSON_STATES = ['listed', 'verified', 'staged', 'handed-over', 'confirmed', 'refused', 'unconfirmed'] as const;
export type PersonState = (typeof PERSON_STATES)[number];

export const TRANCHE_STATES = ['proposed', 'in-progress', 'handed-over', 'completed'] as const;
export type TrancheState = (typeof TRANCHE_STATES)[number];

export const DISCREPANCY_KINDS = ['requested-not-held', 'held-twice', 'counts-differ', 'reported-dead', 'reported-released'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export const exchangeStream = {
  list: (side: string, list: ListKind) => `exchange-list/${side}/${list}`,
  tranche: (id: string) => `exchange-tranche/${id}`,
  published: () => 'exchange-published',
};
