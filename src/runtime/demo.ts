import type { Logger } from 'pino';
import { createParty, createUser } from '../core/identity/identity';
import { fileReport } from '../core/operations/report';
import type { Result } from '../core/errors';
import type { EventDraft } from '../core/journal/envelope';
import type { JournalStore } from '../store/contract';
import { hashPassword } from '../server/auth';
import { DEMO_PARTIES, DEMO_PASSWORD, DEMO_REPORTS, DEMO_USERS } from '../../examples/kyiv-2026/demo';
import type { Journal } from './journal';

/** Loads the Kyiv 2026 example into an empty journal: parties, demo sign-ins, reports. */
export async function seedDemo(journal: Journal, store: JournalStore, log: Logger): Promise<string[]> {
  const append = async (drafts: Result<EventDraft[]>, actor = 'system', party: string | null = null) => {
    if (!drafts.ok) throw new Error(`demo data is inconsistent: ${drafts.message}`);
    const r = await journal.append({ drafts: drafts.value, actor, party });
    if (!r.ok) throw new Error(`demo data could not be appended: ${r.message}`);
  };
  for (const party of DEMO_PARTIES) await append(createParty(journal.image.identity, party));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let n = 0;
  for (const user of DEMO_USERS) {
    await store.putSecret('credential', user.username, passwordHash);
    await append(createUser(journal.image.identity, user, `demo-user-${++n}`));
  }
  const monitor = DEMO_USERS.find((u) => u.username === 'monitor')!;
  for (const report of DEMO_REPORTS) {
    // Demo reports are dated in January 2026; "now" for the future-time check is the report itself.
    await append(fileReport(report, new Date(Date.parse(report.occurredAt) + 60_000), monitor), monitor.username, monitor.party);
  }
  log.info({ events: journal.head }, 'demo data loaded');
  return DEMO_USERS.map((u) => u.username);
}
