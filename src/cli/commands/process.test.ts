import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureText, seededDataDir, type tempDir } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';
import { decidePlan, decidePrerequisite } from '../../core/process/commands';
import { MeetingInput } from '../../core/process/model';
import type { EventDraft } from '../../core/journal/envelope';
import type { Result } from '../../core/errors';
import { processCommand } from './process';

let dir: ReturnType<typeof tempDir>;

const plan = (code: string, start: string, end: string, hardDate = false) =>
  MeetingInput.parse({
    code,
    title: code,
    track: 'military',
    venue: { name: 'Brussels', zone: 'Europe/Brussels' },
    start,
    end,
    format: 'in-person',
    hardDate,
  });

beforeAll(async () => {
  dir = await seededDataDir(async (journal) => {
    await seedFrameworks(journal);
    const append = async (d: Result<EventDraft[]>) => {
      if (!d.ok) throw new Error(d.message);
      const r = await journal.append({ drafts: d.value, actor: 'mediator-user', party: null });
      if (!r.ok) throw new Error(r.message);
    };
    const p = () => journal.image.process;
    await append(decidePlan(p(), plan('wg-1', '2026-02-02T10:00', '2026-02-02T12:00'), null));
    await append(decidePlan(p(), plan('wg-2', '2026-02-03T10:00', '2026-02-03T12:00', true), null));
    await append(decidePrerequisite(p(), 'wg-2', { requirement: { type: 'meeting-held', meeting: 'wg-1' }, note: '' }, null));
  });
});
afterAll(() => dir.remove());

const io = captureText;

describe('entente process', () => {
  it('prints the critical path and what each meeting waits for', async () => {
    const x = io();
    expect(await processCommand(['sequence', '--data', dir.path, '--at', '2026-01-20T00:00:00Z'], x)).toBe(0);
    expect(x.out).toContain('critical path: wg-1 → wg-2');
    expect(x.out).toContain('waits: wg-1 has not been held');
  });

  it('names what moves and the hard date that breaks when a meeting slips', async () => {
    const x = io();
    expect(await processCommand(['slip', 'wg-1', '--days', '2', '--data', dir.path], x)).toBe(0);
    expect(x.out).toContain('moves 2.00 d: wg-1');
    expect(x.out).toContain('hard date broken: wg-2');
  });

  it('writes iCalendar, and says clearly what is wrong', async () => {
    const x = io();
    expect(await processCommand(['ics', 'wg-2', '--data', dir.path], x)).toBe(0);
    expect(x.out).toContain('DTSTART;TZID=Europe/Brussels:20260203T100000');
    const y = io();
    expect(await processCommand(['ics', 'nowhere', '--data', dir.path], y)).toBe(1);
    expect(y.err).toContain('there is no meeting nowhere');
    await expect(processCommand(['slip', 'wg-1', '--data', dir.path], io())).rejects.toThrow('--days N is needed');
    await expect(processCommand(['sideways'], io())).rejects.toThrow('usage: entente process');
  });
});
