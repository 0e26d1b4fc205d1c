import { writeFileSync } from 'node:fs';
import { explainEvaluation } from '../../core/prosperity/conditions';
import { iatiActivities } from '../../core/prosperity/iati';
import { ocdsReleasePackage } from '../../core/prosperity/ocds';
import { conditionFacts } from '../../core/prosperity/reactor';
import { evaluateAll, trancheStage } from '../../core/prosperity/views';
import { Journal } from '../../runtime/journal';
import { milestoneFacts } from '../../runtime/milestones';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

const USAGE = `usage: entente prosperity status [--at INSTANT] [--data DIR | --db URL]      (every tranche: stage, what it waits for)
       entente prosperity export iati|ocds [--out FILE] [--at INSTANT] [--uri URI] [--data DIR | --db URL]`;

/**
 * `entente prosperity …`: the package read from the journal as the API answers it, for a secretariat
 * that publishes open data from a script (IATI 2.03 activities, an OCDS 1.1 release package) or
 * checks from a terminal which tranches are locked and why.
 */
export async function prosperityCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'status' && sub !== 'export') throw new UsageError(USAGE);
  const { values, positionals } = parse(
    rest,
    { ...STORE_OPTIONS, at: { type: 'string' }, out: { type: 'string' }, uri: { type: 'string' } },
    true,
  );
  const at = values.at ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(at))) throw new UsageError(`--at ${at} is not an ISO 8601 instant`);
  const format = positionals[0];
  if (sub === 'export' && format !== 'iati' && format !== 'ocds') throw new UsageError(USAGE);
  return withStore(storeTarget(values), async (store) => {
    const journal = new Journal(store, null);
    await journal.open();
    try {
      const image = journal.image;
      const facts = conditionFacts(image, () => milestoneFacts(image))!;
      const evaluations = evaluateAll(image.prosperity, facts, Date.parse(at));
      if (sub === 'status') {
        for (const t of image.prosperity.tranches.values()) {
          const e = evaluations.get(t.id)!;
          io.stdout(
            `${t.id}  ${trancheStage(t, e)}  ${t.amount} ${t.currency}  ${t.release ? `released by ${t.release.by}` : explainEvaluation(e)}`,
          );
        }
        return 0;
      }
      const text =
        format === 'iati'
          ? iatiActivities(image.prosperity, evaluations, new Date(at).toISOString())
          : ocdsReleasePackage(
              image.prosperity,
              evaluations,
              new Date(at).toISOString(),
              values.uri ?? 'https://entente.example/api/v1/prosperity/ocds.json',
            );
      if (values.out) {
        writeFileSync(values.out, text);
        io.stderr(`wrote ${values.out}`);
      } else io.stdout(text);
      return 0;
    } finally {
      await journal.close();
    }
  });
}
