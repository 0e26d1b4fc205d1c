import { dueEscalations, openEscalationRequest } from '../../src/core/guarantees/clock';
import { judgeCase } from '../../src/core/guarantees/live/trigger-reactor';
import { latestFinding } from '../../src/core/guarantees/live/verified-case';
import type { AppendRequest } from '../../src/core/journal/envelope';
import type { Journal } from '../../src/runtime/journal';

/**
 * Security guarantees in the demo: an escalation that has already climbed a rung.
 *
 * The demo's cases are January 2026 incidents, but their events are recorded at the machine's "now"
 * (and the trigger reactor only reacts to events appended while the node runs, not to the seed). So
 * the seed judges each verified, attributed case itself with the live trigger engine (the commitments
 * in force at the incident's time, as the reactor does) and takes the verification to have happened
 * 25 hours before the seed: the mechanism's first rung ("verify and attribute", 24 h) is then already
 * missed, and the seed runs the escalation clock once at "now", which records the missed rung and opens
 * the next one (the lead responder's consultation, 48 h) at the missed deadline. On the board that rung
 * counts down live; when it too runs out, the node's clock reactor moves it on by itself.
 */
export async function seedGuaranteesDemo(
  journal: Journal,
  now: () => Date = () => new Date(),
): Promise<{ opened: string[]; climbed: number }> {
  const append = async (request: AppendRequest) => {
    const r = await journal.append(request);
    if (!r.ok) throw new Error(`guarantees demo could not be appended: ${r.message}`);
  };
  const verifiedAt = new Date(now().getTime() - 25 * 3_600_000).toISOString();
  const opened: string[] = [];
  const ops = journal.image.operations;
  for (const kase of [...ops.cases.values()].sort((a, b) => a.number - b.number)) {
    const f = kase.status === 'verified' ? latestFinding(kase) : null;
    if (!f || f.attribution.party === null) continue;
    const j = judgeCase(journal.image.operations, journal.image.framework, journal.image.escalations, kase.id, verifiedAt);
    for (const opening of j.opened) {
      await append(openEscalationRequest(opening));
      opened.push(opening.id);
    }
  }
  let climbed = 0;
  for (const request of dueEscalations(journal.image.escalations, now())) {
    await append(request);
    climbed++;
  }
  return { opened, climbed };
}
