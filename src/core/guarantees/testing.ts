import { Framework, type Commitment, type FrameworkInput } from '../framework/model';

/**
 * Small hand-made frameworks for the guarantees tests: a Black Sea corridor with its buffer, an
 * airspace, a contact line, a four-rung ladder, and whatever commitments a test adds.
 */

type CommitmentInput = Partial<Omit<Commitment, 'kind'>> & { id: string };
type ClauseInput = FrameworkInput['chapters'][number]['articles'][number]['clauses'][number];
type PartInput = NonNullable<ClauseInput['part']>;

const t = (s: string) => ({ en: s });

export function commitment(c: CommitmentInput): PartInput {
  return {
    kind: 'commitment',
    guarantors: ['gb', 'tr'],
    domain: 'sea',
    breachTypes: ['naval'],
    zones: ['corridor'],
    activation: { when: 'framework-in-force' },
    trigger: { minSeverity: 2, count: 1, attributionConfidence: 'medium' },
    evidence: { independentSources: 2, verifier: 'mech' },
    decision: { rule: 'one', decider: 'tr' },
    leadResponder: 'tr',
    backupResponder: 'gb',
    ladder: 'ladder',
    ...c,
  } as PartInput;
}

export function clause(id: string, part?: PartInput, alternatives?: { id: string; part?: PartInput }[]): ClauseInput {
  return {
    id,
    status: alternatives ? 'bracketed' : 'agreed',
    text: t(id),
    ...(part ? { part } : {}),
    ...(alternatives
      ? { alternatives: alternatives.map((a) => ({ id: a.id, proposedBy: ['gb'], text: t(a.id), ...(a.part ? { part: a.part } : {}) })) }
      : {}),
  };
}

export const LADDER: PartInput = {
  kind: 'escalation-ladder',
  id: 'ladder',
  rungs: [
    { id: 'verify', action: 'verify', owner: 'mech', deadline: 'PT24H', next: 'consult' },
    { id: 'consult', action: 'consult', owner: 'lead-responder', deadline: 'PT48H', next: 'respond' },
    { id: 'respond', action: 'respond', owner: 'lead-responder', deadline: 'PT72H', next: 'collective' },
    { id: 'collective', action: 'collective-response', owner: 'guarantors' },
  ],
};

const ZONE_CLAUSES: ClauseInput[] = [
  clause('c-corridor', {
    kind: 'zone',
    type: 'maritime-corridor',
    id: 'corridor',
    buffer_m: 9000,
    geometry: {
      type: 'LineString',
      coordinates: [
        [30.7, 46.4],
        [29.0, 41.3],
      ],
    },
  }),
  clause('c-corridor-buffer', {
    kind: 'zone',
    type: 'buffer-zone',
    id: 'corridor-buffer',
    width_m: 12000,
    along: 'corridor',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [30.9, 46.4],
          [29.2, 41.3],
          [28.9, 41.2],
          [30.6, 46.5],
          [30.9, 46.4],
        ],
      ],
    },
  }),
  clause('c-air', {
    kind: 'zone',
    type: 'airspace-area',
    id: 'air',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [22, 48],
          [24, 51],
          [30, 51],
          [22, 48],
        ],
      ],
    },
  }),
  clause('c-line', {
    kind: 'zone',
    type: 'contact-line',
    id: 'line',
    geometry: {
      type: 'LineString',
      coordinates: [
        [35, 47],
        [37, 49],
      ],
    },
  }),
];

/** A framework with the zones and ladder above and the given clauses (in one more article). */
export function framework(
  clauses: ClauseInput[],
  options: { ladder?: PartInput | null; parties?: FrameworkInput['parties'] } = {},
): Framework {
  const input: FrameworkInput = {
    format: 'entente.framework/1',
    process: { id: 'test', title: t('Test'), languages: ['en'] },
    parties: options.parties ?? [
      { id: 'ua', name: t('Ukraine'), roles: ['party-to-conflict'] },
      { id: 'ru', name: t('Russian Federation'), roles: ['party-to-conflict'] },
      { id: 'gb', name: t('United Kingdom'), roles: ['guarantor'] },
      { id: 'fr', name: t('France'), roles: ['guarantor'] },
      { id: 'tr', name: t('Türkiye'), roles: ['guarantor'] },
      { id: 'de', name: t('Germany'), roles: ['guarantor'] },
      { id: 'coalition', kind: 'coalition', name: t('Coalition'), roles: ['guarantor'], members: ['gb', 'fr', 'de'] },
      { id: 'mech', kind: 'mechanism', name: t('Mechanism'), roles: ['monitor'] },
    ],
    chapters: [
      {
        id: 'ch',
        title: t('Chapter'),
        articles: [
          { id: 'art-zones', title: t('Zones'), clauses: ZONE_CLAUSES },
          {
            id: 'art-ladder',
            title: t('Ladder'),
            clauses: [clause('c-ladder', options.ladder === null ? undefined : (options.ladder ?? LADDER))],
          },
          { id: 'art-commitments', title: t('Commitments'), clauses },
        ],
      },
    ],
  };
  return Framework.parse(input);
}
