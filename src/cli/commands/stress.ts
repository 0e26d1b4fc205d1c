import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashFramework } from '../../core/framework/hash';
import { validateFramework } from '../../core/framework/validate';
import { armMetrics, compareArms, comparableAlternatives, type Comparison } from '../../core/stress/compare';
import type { StressResult } from '../../core/stress/metrics';
import { renderReportHtml } from '../../core/stress/report';
import { canonicalize } from '../../core/journal/canonical';
import { formatProblems, readScenarioFor } from '../../core/stress/scenario';
import { DEFAULT_TIME_LIMIT_MS, runStress } from '../../runtime/stress/pool';
import { loadReplay } from '../../runtime/stress/replay';
import type { CliIo } from '../io';

/**
 * `entente stress FRAMEWORK --scenario FILE --runs N --seed K [--out DIR]`: runs the scenario N times
 * against the framework (the live trigger engine and ladder, in memory, on worker threads), with a
 * progress bar on stderr. With --out, writes result.json and a self-contained report.html there;
 * without, prints the JSON. `--compare CLAUSE` runs every alternative of that clause and compares them;
 * `--choose CLAUSE=ALT` picks alternatives of other bracketed clauses.
 */

const USAGE = `usage: entente stress FRAMEWORK --scenario FILE --runs N --seed K [--out DIR]
         [--compare CLAUSE] [--choose CLAUSE=ALT]… [--workers N] [--time-limit SECONDS]
  Runs the scenario N times against the framework and reports where it breaks.
  The same seed gives the same JSON byte for byte.`;

export type StressIo = Pick<CliIo, 'stdout' | 'stderr' | 'readFile'> & { progress?(text: string): void };

function bar(done: number, total: number, label: string): string {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  return `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor((done / Math.max(1, total)) * 100)}% ${done}/${total} runs`;
}

export async function stressCommand(argv: string[], io: StressIo): Promise<number> {
  let values: {
    scenario?: string;
    runs?: string;
    seed?: string;
    out?: string;
    compare?: string;
    choose?: string[];
    workers?: string;
    'time-limit'?: string;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        scenario: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        compare: { type: 'string' },
        choose: { type: 'string', multiple: true },
        workers: { type: 'string' },
        'time-limit': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    io.stderr(`entente stress: ${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  const usage = (message: string) => {
    io.stderr(`entente stress: ${message}\n${USAGE}\n`);
    return 2;
  };
  if (positionals.length !== 1) return usage('give one FRAMEWORK file');
  if (!values.scenario) return usage('give the scenario with --scenario FILE');
  const runs = Number(values.runs ?? '');
  const seed = Number(values.seed ?? '');
  if (!Number.isInteger(runs) || runs < 1) return usage('--runs is a whole number of runs, 1 or more');
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) return usage('--seed is a whole number from 0 to 2147483647');
  const workers = values.workers === undefined ? Math.min(2, availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) return usage('--workers is a whole number (0 runs in this thread)');
  const timeLimit = values['time-limit'] === undefined ? DEFAULT_TIME_LIMIT_MS : Number(values['time-limit']) * 1000;
  if (!(timeLimit > 0)) return usage('--time-limit is a number of seconds');
  const choice: Record<string, string> = {};
  for (const c of values.choose ?? []) {
    const [clause, alt] = c.split('=');
    if (!clause || !alt) return usage(`--choose takes CLAUSE=ALTERNATIVE, not "${c}"`);
    choice[clause] = alt;
  }

  const file = positionals[0]!;
  const read = async (path: string): Promise<string | null> => {
    try {
      return await io.readFile(path);
    } catch (e) {
      io.stderr(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return null;
    }
  };
  const frameworkText = await read(file);
  if (frameworkText === null) return 1;
  const validation = validateFramework(frameworkText, file);
  if (!validation.document) {
    const errors = validation.problems.filter((p) => p.severity === 'error');
    io.stderr(
      errors.map((p) => `${file}:${p.line}:${p.col}: error: ${p.message}`).join('\n') +
        `\n${file}: the framework is invalid; run "entente framework validate ${file}"\n`,
    );
    return 1;
  }
  const doc = validation.document;
  const scenarioText = await read(values.scenario);
  if (scenarioText === null) return 1;
  const scenario = readScenarioFor(scenarioText, values.scenario, doc);
  if (!scenario.ok) {
    io.stderr(formatProblems(values.scenario, scenario.problems) + '\n');
    return 1;
  }
  const replay = await loadReplay(scenario.scenario, dirname(values.scenario));
  if (!replay.ok) {
    io.stderr(`${values.scenario}: ${replay.message}\n`);
    return 1;
  }
  let arms: { alternative: string | null; label: string | null }[] = [{ alternative: null, label: null }];
  if (values.compare) {
    const alternatives = comparableAlternatives(doc, values.compare);
    if (!alternatives.ok) {
      io.stderr(`entente stress: --compare ${values.compare}: ${alternatives.message}\n`);
      return 1;
    }
    arms = alternatives.value.map((a) => ({ alternative: a.id, label: a.label }));
  }

  const write = io.progress ?? ((t: string) => void process.stderr.write(t));
  // One update per percent: a thousand runs need not write a thousand bars.
  let shown = -1;
  const progress = (done: number, total: number, label: string) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === shown) return;
    shown = percent;
    write(bar(done, total, label));
  };
  const frameworkHash = hashFramework(doc).sha256;
  const results: { alternative: string | null; label: string | null; result: StressResult }[] = [];
  const started = performance.now();
  for (const arm of arms) {
    const label = arm.label ? `alternative ${arm.label}` : 'running';
    const outcome = await runStress(
      {
        framework: doc,
        frameworkHash,
        scenario: scenario.scenario,
        choice: arm.alternative ? { ...choice, [values.compare!]: arm.alternative } : choice,
        replay: replay.value,
        seed,
        runs,
      },
      { workers, timeLimitMs: timeLimit, onProgress: (done, total) => progress(done, total, label) },
    );
    write('\n');
    shown = -1;
    if (!outcome.ok) {
      io.stderr(`entente stress: ${outcome.message}\n`);
      return 1;
    }
    results.push({ ...arm, result: outcome.value });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  let comparison: Comparison | null = null;
  if (values.compare) {
    const clause = values.compare;
    const compared = results.map((r) => ({
      alternative: r.alternative!,
      label: r.label!,
      variant: r.result.framework.variant,
      metrics: armMetrics(r.result, clause),
    }));
    const first = results[0]!.result;
    comparison = {
      id: `${clause}-${first.scenario.id}-${seed}`,
      clause,
      scenario: { id: first.scenario.id, title: first.scenario.title, hash: first.scenario.hash },
      seed,
      runs,
      framework: { hash: frameworkHash, version: null },
      arms: compared,
      findings: compareArms(compared),
    };
  }
  const json = values.compare ? canonicalize({ comparison, results }) : canonicalize(results[0]!.result);
  if (!values.out) {
    io.stdout(json + '\n');
    return 0;
  }
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'result.json'), json + '\n');
  await writeFile(join(values.out, 'report.html'), renderReportHtml(results, comparison));
  const m = results.map(
    (r) =>
      `${r.label ? `${r.label}: ` : ''}${(r.result.metrics.reachedShare * 100).toFixed(1)}% reach a guarantor, ${r.result.metrics.gapBreaches.perRun} breaches a run in coverage gaps`,
  );
  io.stdout(
    `${m.join('; ')}\n${comparison ? comparison.findings.map((f) => `  ${f}`).join('\n') + '\n' : ''}wrote ${join(values.out, 'result.json')} and ${join(values.out, 'report.html')} (${seconds} s)\n`,
  );
  return 0;
}
