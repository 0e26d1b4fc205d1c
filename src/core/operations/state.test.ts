import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryJournalWithFrameworks } from '../../../test/operations-fixtures';
import { MemoryImage } from '../../runtime/image';
import { ReportIntake } from './intake';
import { ReportInput, REPORT_TYPES } from './model';
import { nearbyRows } from './state';
import { changeStatus, lockCase, mergeCases, recordFinding } from './verification';

const T0 = Date.parse('2026-01-20T03:00:00Z');

describe('operations projection', () => {
  it('rebuilt from a snapshot plus the tail equals the one built event by event (reports, cases, merges)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('report' as const),
              lon: fc.double({ min: 35.9, max: 36.0, noNaN: true }),
              lat: fc.double({ min: 47.4, max: 47.5, noNaN: true }),
              minutes: fc.integer({ min: 0, max: 120 }),
              type: fc.constantFrom(...REPORT_TYPES),
              party: fc.constantFrom('mechanism', 'ru', 'ua'),
            }),
            fc.record({
              kind: fc.constantFrom('investigate' as const, 'lock' as const, 'merge' as const, 'finding' as const),
              pick: fc.nat(),
            }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        fc.nat(),
        async (steps, cut) => {
          const j = await memoryJournalWithFrameworks();
          const now = new Date('2026-03-01T00:00:00Z');
          const intake = new ReportIntake({ view: j.view, append: j.append, now: () => now });
          let n = 0;
          const ctx = { now, actor: { username: 'monitor-user', party: 'mechanism' } };
          for (const s of steps) {
            const ops = j.image.operations;
            const open = [...ops.cases.values()].filter((c) => !c.mergedInto);
            const kase = open.length ? open[(s as { pick?: number }).pick! % open.length] : undefined;
            if (s.kind === 'report') {
              const input = ReportInput.parse({
                occurredAt: new Date(T0 + s.minutes * 60_000).toISOString(),
                location: { lon: s.lon, lat: s.lat },
                domain: 'land',
                type: s.type,
                source: 'sensor',
              });
              await intake.submit(input, { username: `${s.party}-user`, party: s.party, roles: ['monitor'] }, { id: `r${++n}` });
            } else if (kase) {
              const decided =
                s.kind === 'investigate'
                  ? changeStatus(ops, kase.id, { version: kase.version, to: 'under-investigation', reason: '' }, ctx)
                  : s.kind === 'lock'
                    ? lockCase(ops, kase.id, { version: kase.version, minutes: 10 }, ctx)
                    : s.kind === 'finding'
                      ? recordFinding(
                          ops,
                          kase.id,
                          { version: kase.version, attribution: { party: 'ru', confidence: 'low' }, summary: 's' },
                          { ...ctx, findingId: `f${++n}`, knownParties: new Set(['ru']) },
                        )
                      : open.length > 1
                        ? mergeCases(
                            ops,
                            kase.id,
                            {
                              version: kase.version,
                              cases: open
                                .filter((c) => c !== kase)
                                .slice(0, 1)
                                .map((c) => ({ id: c.id, version: c.version })),
                              reason: 'r',
                            },
                            ctx,
                          )
                        : null;
              if (decided?.ok)
                await j.append({
                  drafts: decided.value.drafts,
                  expected: decided.value.expected,
                  actor: 'monitor-user',
                  party: 'mechanism',
                });
            }
          }
          const events = j.events;
          const k = cut % (events.length + 1);
          const before = new MemoryImage();
          for (const e of events.slice(0, k)) before.apply(e);
          const rebuilt = new MemoryImage();
          expect(rebuilt.restore(before.snapshot())).toBe(true);
          for (const e of events.slice(k)) rebuilt.apply(e);
          expect(new TextDecoder().decode(rebuilt.snapshot())).toBe(new TextDecoder().decode(j.image.snapshot()));
          // The space-time index is rebuilt, not snapshotted: it must find the same rows.
          for (let row = 0; row < j.image.operations.columns.size; row += 3) {
            const c = j.image.operations.columns;
            const a = nearbyRows(j.image.operations, c.lon[row]!, c.lat[row]!, c.time[row]!, 2000, 30).sort();
            const b = nearbyRows(rebuilt.operations, c.lon[row]!, c.lat[row]!, c.time[row]!, 2000, 30).sort();
            expect(b).toEqual(a);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
