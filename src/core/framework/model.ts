import { z } from 'zod';

/**
 * The framework document: the one text the parties negotiate, sign by hash, and the system executes.
 *
 * Everything here is a zod schema; the TypeScript types are inferred from it, and the JSON Schema that
 * editors use (`entente framework schema`) is generated from it, so the three can never disagree.
 * Objects are strict: an unknown key is an error, because a misspelt `widht_m` silently ignored in a
 * text that people sign would be a defect in the agreement, not a style issue.
 *
 * Checks that need the whole document (references, languages, geometry, cycles) live in validate.ts.
 */

export const FORMAT = 'entente.framework/1' as const;

// ---------------------------------------------------------------------------------------------------
// Scalars

/** Stable ids of chapters, articles, clauses, alternatives, definitions, parts and rungs. */
export const Id = z
  .string()
  .max(64, 'an id has at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and dashes, starting with a letter or digit');

/** Party ids are the platform's party ids (see core/access/roles.ts). */
export const PartyId = z
  .string()
  .max(63, 'a party id has at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a party id is lower-case letters, digits and dashes');

/** Open vocabularies (breach types, weapon classes, actions, meetings): a short machine code. */
export const Code = z
  .string()
  .max(64, 'a code has at most 64 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'a code is lower-case letters, digits and dashes, starting with a letter');

/**
 * A BCP-47 tag in canonical case: language, optional script, optional region (en, uk, sr-Latn, en-GB).
 * Whether the language exists is checked in validate.ts, with a message naming it.
 */
export const LanguageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?$/, 'a language is a BCP-47 tag such as en, uk, en-GB or sr-Latn');

/** ISO 8601 duration: P2D, PT48H, PT12H30M. Weeks may not be mixed with other units (ISO 8601). */
export const Duration = z
  .string()
  .regex(
    /^P(?:\d+W|(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$/,
    'a duration is ISO 8601, e.g. PT48H, P2D or PT12H30M',
  );

/** A calendar date, YYYY-MM-DD, that exists. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(s + 'T00:00:00Z');
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'this date does not exist');

/**
 * Prose per language: `{ en: "…", uk: "…" }`. Keys are checked against the working languages in
 * validate.ts (so that the message can name the declared ones).
 */
export const LocalisedText = z
  .record(
    z.string(),
    z
      .string()
      .refine((s) => s.trim().length > 0, 'the text is empty')
      // Control characters are invisible in every rendering and not allowed in XML exports.
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'the text contains a control character'),
  )
  .describe('Text per working language, keyed by BCP-47 tag');

const Metres = z.number().positive('a distance must be greater than 0 metres').finite();

// ---------------------------------------------------------------------------------------------------
// Geometry (GeoJSON, RFC 7946: longitude first, WGS84). Closure, self-intersection and ring sizes are
// checked in geometry.ts, which can point at the offending vertex.

const Longitude = z
  .number()
  .min(-180, 'longitude must be between -180 and 180 (GeoJSON puts longitude first)')
  .max(180, 'longitude must be between -180 and 180 (GeoJSON puts longitude first)');
const Latitude = z
  .number()
  .min(-90, 'latitude must be between -90 and 90 (GeoJSON puts longitude first)')
  .max(90, 'latitude must be between -90 and 90 (GeoJSON puts longitude first)');
export const Position = z
  .tuple([Longitude, Latitude], z.number().finite())
  .describe('[longitude, latitude] or [longitude, latitude, altitude]');
const BBox = z.array(z.number().finite()).min(4).max(6);

export const LineString = z.strictObject({ type: z.literal('LineString'), coordinates: z.array(Position), bbox: BBox.optional() });
export const MultiLineString = z.strictObject({
  type: z.literal('MultiLineString'),
  coordinates: z.array(z.array(Position)),
  bbox: BBox.optional(),
});
export const Polygon = z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)), bbox: BBox.optional() });
export const MultiPolygon = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(z.array(Position))),
  bbox: BBox.optional(),
});

export const LineGeometry = z.discriminatedUnion('type', [LineString, MultiLineString]);
export const AreaGeometry = z.discriminatedUnion('type', [Polygon, MultiPolygon]);
export const AnyGeometry = z.discriminatedUnion('type', [LineString, MultiLineString, Polygon, MultiPolygon]);
export type Geometry = z.infer<typeof AnyGeometry>;

// ---------------------------------------------------------------------------------------------------
// Machine-readable parts

const zoneCommon = {
  kind: z.literal('zone'),
  id: Id,
  /** Illustrative geometry is drawn for discussion and must not be used to judge incidents. */
  illustrative: z.boolean().default(false).describe('true when the geometry is drawn for discussion only'),
};

export const ContactLine = z.strictObject({
  ...zoneCommon,
  type: z.literal('contact-line'),
  geometry: LineGeometry,
});

export const BufferZone = z.strictObject({
  ...zoneCommon,
  type: z.literal('buffer-zone'),
  width_m: Metres.describe('distance from the buffered line to the outer edge of the zone, on each side'),
  along: Id.optional().describe('the zone (a line or corridor) this buffer surrounds'),
  geometry: AreaGeometry,
});

export const Withdrawal = z.strictObject({
  weaponClass: Code.describe('e.g. artillery-100mm-plus, mlrs, tanks'),
  distance_m: Metres.describe('minimum distance from the reference line'),
});

export const WithdrawalLine = z.strictObject({
  ...zoneCommon,
  type: z.literal('withdrawal-line'),
  from: Id.describe('the zone distances are measured from (usually the contact line)'),
  appliesTo: z.array(PartyId).min(1, 'name at least one party that withdraws'),
  withdrawals: z.array(Withdrawal).min(1, 'name at least one weapon class and its distance'),
  geometry: LineGeometry.optional().describe('optional drawn line; the rule is the distance'),
});

export const MaritimeCorridor = z.strictObject({
  ...zoneCommon,
  type: z.literal('maritime-corridor'),
  geometry: z.discriminatedUnion('type', [LineString, MultiLineString, Polygon, MultiPolygon]),
  width_m: Metres.optional().describe('width of the fairway when the geometry is a centre line'),
  buffer_m: Metres.describe('protected distance either side of the corridor'),
});

export const AirspaceArea = z.strictObject({
  ...zoneCommon,
  type: z.literal('airspace-area'),
  geometry: AreaGeometry,
  floor_m: z.number().min(0, 'the floor of an airspace cannot be below 0 m').default(0),
  ceiling_m: Metres.optional(),
});

export const Zone = z.discriminatedUnion('type', [ContactLine, BufferZone, WithdrawalLine, MaritimeCorridor, AirspaceArea]);
export type Zone = z.infer<typeof Zone>;
export const ZONE_TYPES = ['contact-line', 'buffer-zone', 'withdrawal-line', 'maritime-corridor', 'airspace-area'] as const;

/** Owners of a rung that are resolved per commitment, so that one ladder can serve several commitments. */
export const RUNG_OWNER_ROLES = ['lead-responder', 'backup-responder', 'guarantors'] as const;

export const EscalationRung = z.strictObject({
  id: Id,
  action: Code.describe('e.g. verify, consult, demarche, air-policing, naval-escort'),
  owner: z
    .string()
    .min(1)
    .describe(`a party id, or one of ${RUNG_OWNER_ROLES.join(', ')}`),
  deadline: Duration.optional().describe('time the owner has, from the rung opening, before the next rung opens'),
  next: Id.optional().describe('the rung that opens when the deadline passes; none on a terminal rung'),
});
export type EscalationRung = z.infer<typeof EscalationRung>;

export const EscalationLadder = z.strictObject({
  kind: z.literal('escalation-ladder'),
  id: Id,
  rungs: z.array(EscalationRung).min(1, 'a ladder has at least one rung'),
  escalatesTo: Id.optional().describe('a ladder that takes over after this one is exhausted'),
});
export type EscalationLadder = z.infer<typeof EscalationLadder>;

export const DOMAINS = ['air', 'land', 'sea', 'cyber'] as const;
export const ATTRIBUTION_CONFIDENCE = ['low', 'medium', 'high'] as const;

export const Activation = z.discriminatedUnion('when', [
  z.strictObject({ when: z.literal('framework-in-force') }),
  z.strictObject({ when: z.literal('ceasefire-in-force') }),
  z.strictObject({ when: z.literal('commitment-triggered'), commitment: Id }),
]);

export const Trigger = z.strictObject({
  minSeverity: z.number().int().min(1, 'severity runs from 1 to 5').max(5, 'severity runs from 1 to 5'),
  count: z.number().int().min(1, 'count is at least 1').default(1),
  window: Duration.optional().describe('required when count > 1: the breaches must fall within this window'),
  attributionConfidence: z.enum(ATTRIBUTION_CONFIDENCE),
});

export const EvidenceStandard = z.strictObject({
  independentSources: z.number().int().min(1, 'at least one source'),
  verifier: PartyId.describe('the party (usually the monitoring mechanism) that verifies'),
});

export const DecisionRule = z.strictObject({
  rule: z.enum(['one', 'majority', 'consensus']),
  decider: PartyId.optional().describe("with rule 'one': the guarantor who decides"),
  vetoHolders: z.array(PartyId).default([]),
});

export const ConstitutionalDelay = z.strictObject({
  party: PartyId,
  delay: Duration,
  procedure: z.string().min(1).max(200).describe('e.g. Bundestag mandate'),
});

export const Commitment = z.strictObject({
  kind: z.literal('commitment'),
  id: Id,
  guarantors: z.array(PartyId).min(1, 'a commitment needs at least one guarantor'),
  domain: z.enum(DOMAINS),
  breachTypes: z.array(Code).min(1, 'name at least one breach type'),
  zones: z.array(Id).default([]).describe('zones covered; empty means not tied to a zone (e.g. cyber)'),
  activation: Activation,
  trigger: Trigger,
  evidence: EvidenceStandard,
  decision: DecisionRule,
  consultationPeriod: Duration.optional(),
  leadResponder: PartyId.optional(),
  backupResponder: PartyId.optional(),
  ladder: z
    .union([Id, z.strictObject({ rungs: z.array(EscalationRung).min(1, 'a ladder has at least one rung') })])
    .describe('a ladder id, or rungs inline'),
  reviewDate: IsoDate.optional(),
  constitutionalDelays: z.array(ConstitutionalDelay).default([]),
});
export type Commitment = z.infer<typeof Commitment>;

export const ACTIVITIES = ['static-site', 'land-movement', 'sea-movement', 'air-movement'] as const;

export const DeconflictionRule = z.strictObject({
  kind: z.literal('deconfliction-rule'),
  id: Id,
  zones: z.array(Id).default([]).describe('zones where the rule applies; empty means everywhere'),
  leadTimes: z.array(z.strictObject({ activity: z.enum(ACTIVITIES), leadTime: Duration })).min(1, 'state at least one lead time'),
  bufferDistances: z.array(z.strictObject({ activity: z.enum(ACTIVITIES), distance_m: Metres })).default([]),
  acknowledgement: z.strictObject({
    deadline: Duration,
    by: z.array(PartyId).min(1, 'name the parties that must acknowledge'),
  }),
  publicPrecision_m: z
    .number()
    .int('whole metres')
    .positive('precision must be greater than 0 m')
    .describe('coordinates shown to the public are rounded to this'),
});
export type DeconflictionRule = z.infer<typeof DeconflictionRule>;

export const EXCHANGE_CATEGORIES = [
  'seriously-wounded',
  'seriously-sick',
  'aged-25-and-under',
  'civilian-detainee',
  'prisoner-of-war',
] as const;

export const ExchangeFormula = z.strictObject({
  kind: z.literal('exchange-formula'),
  id: Id,
  sides: z.array(PartyId).length(2, 'an exchange has exactly two sides'),
  intermediary: PartyId,
  basis: z.enum(['all-for-all', 'parity', 'category']),
  ratio: z
    .tuple([z.number().int().min(1), z.number().int().min(1)])
    .optional()
    .describe('with basis parity: persons released by each side, in the order of sides'),
  trancheSize: z.number().int().min(1).optional(),
  categoryRules: z
    .array(
      z.strictObject({
        category: z.enum(EXCHANGE_CATEGORIES),
        rule: z.enum(['all', 'parity']),
        order: z.number().int().min(1).describe('1 = released first'),
      }),
    )
    .default([]),
});
export type ExchangeFormula = z.infer<typeof ExchangeFormula>;

export const Milestone = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ceasefire-held'),
    days: z.number().int().min(1),
    zones: z.array(Id).default([]).describe('empty means everywhere'),
    maxSeverity: z.number().int().min(0).max(5).describe('verified breaches above this severity reset the count'),
  }),
  z.strictObject({ type: z.literal('exchange-completed'), formula: Id, tranches: z.number().int().min(1).default(1) }),
  z.strictObject({ type: z.literal('framework-in-force') }),
  z.strictObject({ type: z.literal('meeting-held'), meeting: Code }),
  z.strictObject({ type: z.literal('attested'), by: PartyId, what: z.string().min(1).max(500) }),
]);
export type Milestone = z.infer<typeof Milestone>;

export const FundingCondition = z.strictObject({
  kind: z.literal('funding-condition'),
  id: Id,
  tranche: Code.describe('the tranche or facility this condition unlocks'),
  requires: z.array(Milestone).min(1, 'a condition needs at least one milestone'),
});
export type FundingCondition = z.infer<typeof FundingCondition>;

export const MeetingRequirement = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('meeting-held'), meeting: Code }),
  z.strictObject({ type: z.literal('clauses-agreed'), clauses: z.array(Id).min(1) }),
  z.strictObject({ type: z.literal('attested'), by: PartyId, what: z.string().min(1).max(500) }),
]);

export const MeetingPrerequisite = z.strictObject({
  kind: z.literal('meeting-prerequisite'),
  id: Id,
  meeting: Code,
  format: z.enum(['in-person', 'virtual', 'hybrid']).optional(),
  requires: z.array(MeetingRequirement).min(1, 'name at least one prerequisite'),
});
export type MeetingPrerequisite = z.infer<typeof MeetingPrerequisite>;

export const Part = z.discriminatedUnion('kind', [
  Zone,
  Commitment,
  EscalationLadder,
  DeconflictionRule,
  ExchangeFormula,
  FundingCondition,
  MeetingPrerequisite,
]);
export type Part = z.infer<typeof Part>;
export type PartKind = Part['kind'];

// ---------------------------------------------------------------------------------------------------
// Text structure

export const CLAUSE_STATUSES = ['open', 'bracketed', 'agreed', 'deleted'] as const;

export const Alternative = z.strictObject({
  id: Id,
  label: z
    .string()
    .regex(/^[A-Z]{1,2}$/, 'a label is one or two capital letters')
    .optional()
    .describe('A, B, … ; filled from the order when absent'),
  proposedBy: z.array(PartyId).min(1, 'an alternative is proposed by at least one party'),
  text: LocalisedText,
  untranslated: z.array(LanguageTag).default([]),
  part: Part.optional().describe('replaces the clause part when this alternative is chosen'),
});
export type Alternative = z.infer<typeof Alternative>;

export const Clause = z.strictObject({
  id: Id,
  status: z.enum(CLAUSE_STATUSES),
  title: LocalisedText.optional(),
  text: LocalisedText.describe('the clause; for a bracketed clause with alternatives, the words they complete'),
  untranslated: z.array(LanguageTag).default([]).describe('languages whose text is still to come'),
  part: Part.optional(),
  alternatives: z.array(Alternative).default([]),
});
export type Clause = z.infer<typeof Clause>;

export const Article = z.strictObject({
  id: Id,
  title: LocalisedText,
  clauses: z.array(Clause).min(1, 'an article has at least one clause'),
});
export type Article = z.infer<typeof Article>;

export const Chapter = z.strictObject({
  id: Id,
  title: LocalisedText,
  articles: z.array(Article).min(1, 'a chapter has at least one article'),
});
export type Chapter = z.infer<typeof Chapter>;

export const Definition = z.strictObject({
  id: Id,
  term: LocalisedText,
  text: LocalisedText,
  untranslated: z.array(LanguageTag).default([]),
});
export type Definition = z.infer<typeof Definition>;

export const PROCESS_ROLES = ['party-to-conflict', 'mediator', 'guarantor', 'monitor', 'intermediary', 'donor', 'observer'] as const;

export const Party = z.strictObject({
  id: PartyId,
  name: LocalisedText,
  short: z.string().min(1).max(16).optional().describe('how brackets name the party, e.g. UA; defaults to the id in capitals'),
  kind: z.enum(['state', 'organisation', 'coalition', 'mechanism']).default('state'),
  roles: z.array(z.enum(PROCESS_ROLES)).min(1, 'a party has at least one role in the process'),
  members: z.array(PartyId).default([]).describe('for a coalition: its member parties'),
  lead: PartyId.optional().describe('for a coalition or mechanism: the party that leads it'),
});
export type Party = z.infer<typeof Party>;

export const ProcessMetadata = z.strictObject({
  id: Id,
  title: LocalisedText,
  languages: z.array(LanguageTag).min(1, 'declare at least one working language'),
  date: IsoDate.optional(),
  version: z.string().min(1).max(64).optional().describe("the drafters' label, e.g. 'Paris draft 3'; the hash is the real version"),
});

export const Framework = z.strictObject({
  format: z.literal(FORMAT),
  process: ProcessMetadata,
  parties: z.array(Party).min(1, 'name at least one party'),
  definitions: z.array(Definition).default([]),
  chapters: z.array(Chapter).min(1, 'a framework has at least one chapter'),
  retiredIds: z.array(Id).default([]).describe('ids used by earlier versions; never to be used again'),
});
export type Framework = z.infer<typeof Framework>;
export type FrameworkInput = z.input<typeof Framework>;

/** The JSON Schema of the authoring format (what editors and `entente framework schema` use). */
export function frameworkJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Framework, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'urn:entente:schema:framework:1',
    title: 'Entente framework document',
    description: 'One versioned text that the parties negotiate, sign by hash, and the system executes.',
  };
}
