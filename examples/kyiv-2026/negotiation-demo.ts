import type { Principal } from '../../src/core/access/roles';
import { currentDocument } from '../../src/core/framework/versions';
import { proposalBasis } from '../../src/core/negotiation/merge';
import { CommentInput, GRADIENT, PositionInput, ProposalInput } from '../../src/core/negotiation/model';
import {
  clausesOf,
  decideComment,
  decideDraft,
  decidePosition,
  decideProposalStep,
  type ProposalStep,
} from '../../src/core/negotiation/workspace';
import type { EventDraft } from '../../src/core/journal/envelope';
import type { Result } from '../../src/core/errors';
import type { Journal } from '../../src/runtime/journal';
import { DEMO_USERS } from './demo';

/**
 * The negotiating workspace in the demo: the seven states at the table (ua, ru, us, gb, fr, de, tr)
 * state where they stand on every bracketed clause of the current text, at the three January rounds.
 * Each stance carries `asOf`, the date of the round (the payload field the trend groups by, so the
 * rounds fall in ISO weeks 2026-W01, W02 and W03 whenever the demo is loaded). The gap narrows from
 * round to round; the Russian Federation keeps its block on the sea clause (the console shows it);
 * a few stances are shared with the mediator only, or kept to the party, so the views differ.
 * ILLUSTRATIVE: the stances are invented.
 */

const ROUNDS = [
  { asOf: '2026-01-02', label: 'Before the Kyiv advisers’ meeting' },
  { asOf: '2026-01-09', label: 'After the Paris leaders’ meeting' },
  { asOf: '2026-01-16', label: 'January follow-up round' },
] as const;

const TABLE = [
  { party: 'ua', username: 'ua-delegate' },
  { party: 'ru', username: 'ru-delegate' },
  { party: 'us', username: 'us-guarantor' },
  { party: 'gb', username: 'gb-delegate' },
  { party: 'fr', username: 'fr-delegate' },
  { party: 'de', username: 'de-delegate' },
  { party: 'tr', username: 'tr-delegate' },
] as const;

/** Gradient points (1 endorse … 7 serious disagreement) per round, in TABLE's order: far apart, then closer. */
const POINTS = [
  [1, 7, 2, 3, 2, 4, 5],
  [2, 5, 2, 3, 3, 3, 4],
  [2, 3, 2, 2, 3, 2, 3],
] as const;

const REASONS = [
  'Opening position, as instructed by the capital.',
  'Moved after the working group on sequencing.',
  'Can live with the chair’s consolidated text, subject to the annex.',
] as const;

export async function seedNegotiationDemo(journal: Journal): Promise<void> {
  const bracketed = clausesOf(currentDocument(journal.image.framework)).filter((c) => c.status === 'bracketed');
  for (const [round, meta] of ROUNDS.entries()) {
    for (const [k, clause] of bracketed.entries()) {
      for (const [i, seat] of TABLE.entries()) {
        const user = DEMO_USERS.find((u) => u.username === seat.username)!;
        const reader: Principal = {
          kind: 'user',
          id: seat.username,
          username: seat.username,
          party: seat.party,
          roles: user.roles,
          grants: [],
          scopes: null,
        };
        // Each clause a little different, so the map is not a stripe; ua and ru keep their own ends.
        const point = i < 2 ? POINTS[round]![i]! : Math.min(7, Math.max(1, POINTS[round]![i]! + ((k + i) % 3) - 1));
        const sea = clause.id === 'c-commit-sea' && seat.party === 'ru';
        const gradient = sea ? 'block' : GRADIENT[point - 1]!;
        // The mediator hears some things first; in the last round ua keeps one reservation to itself.
        const sharing =
          round === 2 && seat.party === 'ua' && k === 0
            ? 'own'
            : round > 0 && (seat.party === 'ru' || seat.party === 'tr') && k % 2 === 1
              ? 'mediator'
              : 'all';
        const input = PositionInput.parse({
          clause: clause.id,
          alternative:
            seat.party === 'ua' ? (clause.alternatives[0] ?? null) : seat.party === 'ru' ? (clause.alternatives[1] ?? null) : null,
          gradient,
          reason: `${meta.label}: ${REASONS[round]}`,
          redLine: sea
            ? 'No third-state naval presence in the Sea of Azov.'
            : sharing === 'mediator'
              ? 'Sequencing: withdrawal only after verification.'
              : null,
          sharing,
          asOf: meta.asOf,
        });
        const drafts = decidePosition(bracketed, reader, input);
        if (!drafts.ok) throw new Error(`demo negotiation data is inconsistent: ${drafts.message}`);
        const r = await journal.append({ drafts: drafts.value, actor: seat.username, party: seat.party });
        if (!r.ok) throw new Error(`demo negotiation data could not be appended: ${r.message}`);
      }
    }
  }
  await seedProposalsDemo(journal);
}

function principal(username: string, party: string | null): Principal {
  const user = DEMO_USERS.find((u) => u.username === username)!;
  return { kind: 'user', id: username, username, party, roles: user.roles, grants: [], scopes: null };
}

async function appendDemo(journal: Journal, who: Principal, drafts: Result<EventDraft[]>): Promise<void> {
  if (!drafts.ok) throw new Error(`demo negotiation data is inconsistent: ${drafts.message}`);
  const r = await journal.append({ drafts: drafts.value, actor: who.username, party: who.party });
  if (!r.ok) throw new Error(`demo negotiation data could not be appended: ${r.message}`);
}

/**
 * Proposals in every state and a comment thread, so the clause detail and the mediator's merge have
 * something to show: a Turkish alternative on the sea clause waits at the table, a Ukrainian
 * amendment on ICRC access is accepted and ready to merge into the next version, a Russian amendment
 * was rejected, and the United Kingdom keeps a draft to itself. ILLUSTRATIVE: the words are invented.
 */
async function seedProposalsDemo(journal: Journal): Promise<void> {
  const doc = currentDocument(journal.image.framework);
  const clauses = clausesOf(doc);
  const mediator = principal('mediator', null);
  const proposals: { id: string; who: Principal; input: Record<string, unknown>; steps: ProposalStep[] }[] = [
    {
      id: 'demo-tr-sea-lead',
      who: principal('tr-delegate', 'tr'),
      input: {
        clause: 'c-commit-sea',
        kind: 'alternative',
        text: {
          en: 'by the Republic of Türkiye in the corridor and by the Coalition of the Willing in its buffer, each deciding alone.',
          uk: 'Республіка Туреччина в коридорі та Коаліція охочих у його буферній смузі, кожна з них вирішує самостійно.',
        },
        note: 'Splits the sea between a lead in the corridor and a lead in the buffer, so that no part is left without a responder.',
      },
      steps: ['table'],
    },
    {
      id: 'demo-ua-icrc-access',
      who: principal('ua-delegate', 'ua'),
      input: {
        clause: 'c-exchange-access',
        kind: 'amendment',
        text: {
          en: 'The International Committee of the Red Cross has access to all prisoners of war and detained civilians, wherever they are held, within 14 days, in accordance with Article 126 of the Third Geneva Convention. Identities are exchanged only through the intermediary.',
          uk: 'Міжнародний комітет Червоного Хреста має доступ до всіх військовополонених і затриманих цивільних осіб, де б їх не утримували, протягом 14 днів відповідно до статті 126 Третьої Женевської конвенції. Обмін даними, що встановлюють особу, здійснюється лише через посередника.',
        },
        note: 'Adds a deadline and "wherever they are held", as agreed in the Ankara working group.',
      },
      steps: ['table', 'accepted'],
    },
    {
      id: 'demo-ru-mechanism',
      who: principal('ru-delegate', 'ru'),
      input: {
        clause: 'c-mechanism-means',
        kind: 'amendment',
        alternative: 'c-mechanism-means-b',
        text: { en: 'with unarmed civilian field teams only.', uk: 'лише за допомогою неозброєних цивільних польових груп.' },
        note: 'Drops the reference to unmanned aerial vehicles.',
      },
      steps: ['table', 'rejected'],
    },
    {
      id: 'demo-gb-war-risk',
      who: principal('gb-delegate', 'gb'),
      input: {
        clause: 'c-war-risk',
        kind: 'alternative',
        text: { en: 'once the corridor has been open for 14 days without a verified attack on a vessel.', uk: '' },
        note: 'Internal draft, not for the table yet.',
      },
      steps: [],
    },
  ];
  for (const p of proposals) {
    const input = ProposalInput.parse(p.input);
    await appendDemo(journal, p.who, decideDraft(clauses, p.who, p.id, input, proposalBasis(doc, input.clause, input.alternative)));
    for (const step of p.steps) {
      const actor = step === 'accepted' || step === 'rejected' ? mediator : p.who;
      await appendDemo(journal, actor, decideProposalStep(journal.image.negotiation, actor, p.id, step));
    }
  }
  const comments: { who: Principal; text: string; sharing: 'own' | 'mediator' | 'all' }[] = [
    { who: principal('ua-delegate', 'ua'), text: 'Internal: we can accept the Turkish split if the buffer lead is named.', sharing: 'own' },
    {
      who: principal('ua-delegate', 'ua'),
      text: 'To the chair: flexible on who leads in the buffer, not on leaving it uncovered.',
      sharing: 'mediator',
    },
    {
      who: principal('tr-delegate', 'tr'),
      text: 'Our alternative closes the gap the coverage check found in the corridor buffer.',
      sharing: 'all',
    },
    { who: mediator, text: 'Please state positions on the Turkish alternative before the next round.', sharing: 'all' },
  ];
  for (const c of comments) {
    await appendDemo(
      journal,
      c.who,
      decideComment(clauses, c.who, CommentInput.parse({ clause: 'c-commit-sea', text: c.text, sharing: c.sharing })),
    );
  }
}
