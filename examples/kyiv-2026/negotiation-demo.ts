import type { Principal } from '../../src/core/access/roles';
import { currentDocument } from '../../src/core/framework/versions';
import { GRADIENT, PositionInput } from '../../src/core/negotiation/model';
import { clausesOf, decidePosition } from '../../src/core/negotiation/workspace';
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
}
