import { writeFileSync } from 'node:fs';
import { currentDocument, inForceAt } from '../../core/framework/versions';
import { slip } from '../../core/process/graph';
import { calendarOf } from '../../core/process/ics';
import { analyseSequence, buildSequence, checksOf } from '../../core/process/prerequisites';
import { Journal } from '../../runtime/journal';
import { milestoneFacts } from '../../runtime/milestones';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

const USAGE = `usage: entente process sequence [--at INSTANT] [--data DIR | --db URL]   (critical path, float, what blocks each meeting)
       entente process slip MEETING --days N [--data DIR | --db URL]          (what moves, which hard dates break)
       entente process ics MEETING [--out FILE] [--data DIR | --db URL]       (the meeting as iCalendar)`;

const DAY = 86_400_000;

/**
 * `entente process …`: the sequence of meetings read from the journal, as the API answers it, for a
 * secretariat that works from a terminal or a script. Exit 1 when the prerequisites form a cycle or a
 * meeting is unknown.
 */
export async function processCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'sequence' && sub !== 'slip' && sub !== 'ics') throw new UsageError(USAGE);
  const { values, positionals } = parse(
    rest,
    { ...STORE_OPTIONS, at: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' } },
    true,
  );
  const now = values.at ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) throw new UsageError(`--at ${now} is not an ISO 8601 instant`);
  return withStore(storeTarget(values), async (store) => {
    const journal = new Journal(store, null);
    await journal.open();
    try {
      const image = journal.image;
      const doc = inForceAt(image.framework, now)?.document ?? currentDocument(image.framework);
      const seq = buildSequence(image.process, doc);
      const analysed = analyseSequence(seq);
      if (!analysed.ok) {
        io.stderr(analysed.message);
        return 1;
      }
      const a = analysed.value;
      if (sub === 'sequence') {
        const ctx = { process: image.process, framework: image.framework, facts: milestoneFacts(image), now };
        io.stdout(`critical path: ${a.criticalPath.map((i) => seq.meetings[i]!.id).join(' → ') || '(no meetings)'}`);
        for (const [i, m] of seq.meetings.entries()) {
          const blockers = checksOf(ctx, seq, m.id).filter((c) => !c.met);
          const float = a.criticalPath.includes(i) ? 'critical' : `float ${(a.float[i]! / DAY).toFixed(2)} d`;
          io.stdout(
            `${m.start}  ${m.id}  [${m.status}; ${float}]${m.status === 'held' || m.status === 'closed' ? '' : blockers.map((b) => `\n    waits: ${b.detail}`).join('')}`,
          );
        }
        return 0;
      }
      const id = positionals[0];
      if (!id) throw new UsageError(USAGE);
      const index = seq.indexOf.get(id);
      const meeting = image.process.meetings.get(id);
      if (!meeting) {
        io.stderr(`there is no meeting ${id}`);
        return 1;
      }
      if (sub === 'ics') {
        const body = calendarOf([meeting], { name: meeting.title, stamp: meeting.updatedAt, viewer: null });
        if (values.out) writeFileSync(values.out, body);
        else io.stdout(body);
        return 0;
      }
      const days = Number(values.days);
      if (!values.days || !Number.isFinite(days)) throw new UsageError('--days N is needed (a number of days, e.g. 2)');
      if (index === undefined) {
        io.stderr(`${id} is cancelled: it is not in the sequence`);
        return 1;
      }
      if (seq.graph.nodes[index]!.held) {
        io.stderr(`${id} has been held: it cannot slip any more`);
        return 1;
      }
      const s = slip(a, index, days * DAY);
      for (const m of s.moved) io.stdout(`moves ${(m.by / DAY).toFixed(2)} d: ${seq.meetings[m.index]!.id}`);
      for (const b of s.broken) io.stdout(`hard date broken: ${seq.meetings[b]!.id} (planned ${seq.meetings[b]!.start})`);
      io.stdout(`the sequence ends ${(s.endMovesBy / DAY).toFixed(2)} d later`);
      return 0;
    } finally {
      await journal.close();
    }
  });
}
