import type { Logger } from 'pino';
import { createParty, createUser } from '../core/identity/identity';
import type { Result } from '../core/errors';
import type { EventDraft } from '../core/journal/envelope';
import type { JournalStore } from '../store/contract';
import { hashPassword } from '../server/auth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFramework } from '../core/framework/validate';
import { recordForce, recordVersion, signVersion } from '../core/framework/versions';
import { DEMO_FRAMEWORK_VERSIONS, DEMO_PARTIES, DEMO_PASSWORD, DEMO_USERS } from '../../examples/kyiv-2026/demo';
import { seedOperationsDemo } from '../../examples/kyiv-2026/operations-demo';
import { seedDeconflictionDemo } from '../../examples/kyiv-2026/deconfliction-demo';
import { seedGuaranteesDemo } from '../../examples/kyiv-2026/guarantees-demo';
import { seedNegotiationDemo } from '../../examples/kyiv-2026/negotiation-demo';
import { seedEvidenceDemo } from '../../examples/kyiv-2026/evidence-demo';
import { BlobStore } from './evidence/blob-store';
import { ReporterSeal } from './evidence/seal';
import { seedProcessDemo } from '../../examples/kyiv-2026/process-demo';
import { seedExchangesDemo } from '../../examples/kyiv-2026/exchanges-demo';
import { seedProsperityDemo } from '../../examples/kyiv-2026/prosperity-demo';
import { seedStressDemo } from '../../examples/kyiv-2026/stress-demo';
import type { Journal } from './journal';
import { loadOrCreateNodeKey } from './node-key';
import { TreeLog } from './tree-log';

/** Loads the Kyiv 2026 example into an empty journal: parties, demo sign-ins, reports. */
export async function seedDemo(journal: Journal, store: JournalStore, log: Logger, dataDir?: string): Promise<string[]> {
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
  await seedFramework(journal, append);
  // Reports (the example's and more), cases in every state, claims, dissent, an access denial.
  await seedOperationsDemo(journal);
  // Notified sites and a convoy, acknowledgements, one escalation, one notified site struck.
  await seedDeconflictionDemo(journal);
  // An escalation of the land commitment that has already climbed a rung (see guarantees-demo.ts).
  await seedGuaranteesDemo(journal);
  // Positions of the seven states on the bracketed clauses over the January rounds (see negotiation-demo.ts).
  await seedNegotiationDemo(journal);
  // The January 2026 sequence of meetings and its prerequisites (see process-demo.ts).
  await seedProcessDemo(journal);
  // Two bureaus' lists in each other's scripts, three tranches through Türkiye (see exchanges-demo.ts).
  await seedExchangesDemo(journal);
  // Pledges, a war-risk cover, tranches locked and unlocked by the ceasefire record (see prosperity-demo.ts).
  await seedProsperityDemo(journal);
  // The reheating scenario against both alternatives of the sea clause, attached to it (see stress-demo.ts).
  await seedStressDemo(journal);
  // Evidence on the Orikhiv case: files in the node's blob store, custody, analyses, a challenge (see evidence-demo.ts).
  if (dataDir) await seedEvidenceDemo(journal, { blobs: new BlobStore(join(dataDir, 'evidence', 'blobs')), seal: new ReporterSeal(store) });
  // Last: one signed tree head over all of the above, so the audit page shows a head from the first start.
  if (dataDir) await signDemoTreeHead(journal, store, dataDir);
  log.info({ events: journal.head }, 'demo data loaded');
  return DEMO_USERS.map((u) => u.username);
}

export const EXAMPLE_FRAMEWORK = join(import.meta.dirname, '../../examples/kyiv-2026/framework.yaml');

async function seedFramework(journal: Journal, append: (d: Result<EventDraft[]>, actor?: string, party?: string | null) => Promise<void>): Promise<void> {
  let source = readFileSync(EXAMPLE_FRAMEWORK, 'utf8');
  for (const step of DEMO_FRAMEWORK_VERSIONS) {
    for (const [from, to] of step.edits) {
      if (!source.includes(from)) throw new Error(`demo framework edit does not apply: "${from}" is not in the example any more`);
      source = source.replace(from, to);
    }
    const report = validateFramework(source, EXAMPLE_FRAMEWORK);
    if (!report.document) throw new Error(`the example framework does not validate: ${report.problems[0]?.message ?? ''}`);
    const recorded = recordVersion(journal.image.framework, report.document, step.note);
    if (!recorded.ok) throw new Error(recorded.message);
    await append({ ok: true, value: recorded.value.drafts }, 'mediator', 'secretariat');
    for (const username of step.signedBy) {
      const user = DEMO_USERS.find((u) => u.username === username)!;
      await append(signVersion(journal.image.framework, { party: user.party, hash: recorded.value.hash, signer: username, signedAt: new Date().toISOString() }), username, user.party);
    }
    if (step.inForceAt) {
      await append(recordForce(journal.image.framework, { kind: 'entry-into-force', hash: recorded.value.hash, at: step.inForceAt }), 'mediator', 'secretariat');
    }
  }
}

/** Signs one tree head with the node key, through a tree log of its own (the server builds its own at start). */
async function signDemoTreeHead(journal: Journal, store: JournalStore, dataDir: string): Promise<void> {
  const tree = new TreeLog(journal, store, { signer: loadOrCreateNodeKey(dataDir), intervalMs: 0 });
  await tree.open();
  const head = await tree.signHead();
  tree.close();
  if (!head.ok) throw new Error(`the demo tree head could not be signed: ${head.message}`);
}
