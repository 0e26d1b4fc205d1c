import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashFramework } from '../../src/core/framework/hash';
import { currentDocument } from '../../src/core/framework/versions';
import {
  attachComparison,
  armMetrics,
  compareArms,
  comparableAlternatives,
  comparisonStream,
  type Comparison,
} from '../../src/core/stress/compare';
import { stressTest } from '../../src/core/stress/run';
import { readScenarioFor } from '../../src/core/stress/scenario';
import { prepareSimulation } from '../../src/core/stress/setup';
import type { Journal } from '../../src/runtime/journal';

/**
 * The stress test in the demo: the reheating scenario run against both alternatives of the bracketed
 * sea clause (c-commit-sea) of the current text, and the comparison attached to the clause by the
 * mediator — so the negotiating workspace shows, on that clause, that alternative B leaves breaches in
 * the corridor's buffer without a responder. The two scenarios (quiet, reheating) are the YAML files
 * in scenarios/, offered on the stress page. Few runs, in this thread: the demo must load quickly;
 * the page runs more.
 */

export const DEMO_STRESS_CLAUSE = 'c-commit-sea';
export const DEMO_STRESS_RUNS = 16;
export const DEMO_STRESS_SEED = 2026;
const SCENARIO = join(import.meta.dirname, 'scenarios', 'reheating.yaml');

export async function seedStressDemo(journal: Journal): Promise<void> {
  const state = journal.image.framework;
  const doc = currentDocument(state);
  const version = state.versions[state.versions.length - 1];
  if (!doc || !version) throw new Error('the stress demo needs the framework recorded first');
  const read = readScenarioFor(readFileSync(SCENARIO, 'utf8'), SCENARIO, doc);
  if (!read.ok) throw new Error(`the reheating scenario does not read: ${read.problems[0]!.message}`);
  const alternatives = comparableAlternatives(doc, DEMO_STRESS_CLAUSE);
  if (!alternatives.ok) throw new Error(alternatives.message);
  const arms = alternatives.value.map((alt) => {
    const setup = prepareSimulation(doc, read.scenario, { choice: { [DEMO_STRESS_CLAUSE]: alt.id } });
    if (!setup.ok) throw new Error(setup.message);
    const result = stressTest(setup.value, DEMO_STRESS_SEED, DEMO_STRESS_RUNS, hashFramework(doc).sha256);
    return {
      alternative: alt.id,
      label: alt.label,
      variant: result.framework.variant,
      metrics: armMetrics(result, DEMO_STRESS_CLAUSE),
      result,
    };
  });
  const first = arms[0]!.result;
  const comparison: Comparison = {
    id: `demo-${DEMO_STRESS_CLAUSE}-${read.scenario.id}`,
    clause: DEMO_STRESS_CLAUSE,
    scenario: { id: first.scenario.id, title: first.scenario.title, hash: first.scenario.hash },
    seed: DEMO_STRESS_SEED,
    runs: DEMO_STRESS_RUNS,
    framework: { hash: version.hash, version: version.number },
    arms: arms.map(({ result: _result, ...arm }) => arm),
    findings: compareArms(arms),
  };
  const drafts = attachComparison(comparison);
  if (!drafts.ok) throw new Error(drafts.message);
  const r = await journal.append({
    drafts: drafts.value,
    actor: 'mediator',
    party: 'secretariat',
    expected: { [comparisonStream(comparison.id)]: 'new' },
  });
  if (!r.ok) throw new Error(r.message);
}
