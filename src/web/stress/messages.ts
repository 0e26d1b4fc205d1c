/*
 * Interface text of the stress test, in English and Ukrainian. `StressMessages` makes the compiler
 * check that the Ukrainian text has exactly the English keys.
 */
import { useLanguage } from '../i18n';

export const stressEn = {
  title: 'Stress test',
  lead: 'Seeded scenarios of simulated breaches run through the same rules that run live: where does the text break?',
  launch: {
    title: 'Run a scenario',
    scenario: 'Scenario',
    custom: 'Your own (edit the YAML below)',
    yaml: 'Scenario (YAML)',
    runs: 'Runs',
    seed: 'Seed',
    compare: 'Compare the alternatives of',
    noCompare: 'No comparison: the text as in force',
    start: 'Run',
    starting: 'Starting…',
    sameSeed: 'The same seed gives the same result, byte for byte.',
  },
  progress: {
    title: 'Progress',
    cancel: 'Cancel',
    runs: (done: number, total: number) => `${done.toLocaleString('en')} of ${total.toLocaleString('en')} runs`,
    states: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' } as Record<string, string>,
  },
  result: {
    title: (label: string | null) => (label ? `Alternative ${label}` : 'Result'),
    reached: 'reach a responsible guarantor',
    response: 'first response, p50 / p90',
    gaps: 'breaches in coverage gaps, a run',
    stuck: 'escalations stuck (dead end / veto), a run',
    falseTriggers: 'false triggers, a run',
    held: (of: number) => `days held, of ${of}`,
    money: 'money unlocked',
    notModelled: 'not modelled yet',
    fates: 'What became of the breaches',
    responseHist: 'Time to first response (hours)',
    series: 'Breaches and escalations a day (mean over runs)',
    breaches: 'breaches',
    escalations: 'escalations',
    clauses: 'Clauses that fail most often (failures a run)',
    noClauses: 'No clause failed in these runs.',
    gapCells: 'Coverage gaps hit',
    kinds: { gap: 'gap', deadEnd: 'dead end', veto: 'veto', missedRungs: 'missed rungs', falseTriggers: 'false triggers' } as Record<
      string,
      string
    >,
  },
  fates: {
    reached: 'reached a guarantor',
    'no-responder': 'commitment without a lead',
    unverified: 'not verified',
    'denied-access': 'access denied',
    unattributed: 'not attributed',
    uncovered: 'no commitment covers it',
    'below-threshold': 'below the trigger',
    pending: 'still being verified',
  } as Record<string, string>,
  comparison: {
    title: (clause: string) => `Evidence for clause ${clause}`,
    attach: 'Attach to the clause',
    attached: 'Attached to the clause: it shows in the negotiating workspace.',
    metric: 'Measure',
    runs: (runs: number, scenario: string, seed: number) => `${runs} runs of “${scenario}”, seed ${seed}`,
    by: (who: string, when: string) => `attached by ${who}, ${when}`,
    none: 'No stress-test evidence attached to this clause yet.',
  },
  hours: (h: number | null) => (h === null ? '—' : h < 48 ? `${h} h` : `${(h / 24).toFixed(1)} d`),
};

export type StressMessages = typeof stressEn;

export const stressUk: StressMessages = {
  title: 'Стрес-тест',
  lead: 'Відтворювані сценарії змодельованих порушень проходять через ті самі правила, що діють насправді: де текст не витримує?',
  launch: {
    title: 'Запустити сценарій',
    scenario: 'Сценарій',
    custom: 'Власний (редагуйте YAML нижче)',
    yaml: 'Сценарій (YAML)',
    runs: 'Прогони',
    seed: 'Зерно',
    compare: 'Порівняти альтернативи положення',
    noCompare: 'Без порівняння: текст у чинній редакції',
    start: 'Запустити',
    starting: 'Запуск…',
    sameSeed: 'Те саме зерно дає той самий результат, байт у байт.',
  },
  progress: {
    title: 'Хід виконання',
    cancel: 'Скасувати',
    runs: (done: number, total: number) => `${done.toLocaleString('uk')} з ${total.toLocaleString('uk')} прогонів`,
    states: { queued: 'У черзі', running: 'Виконується', done: 'Готово', failed: 'Помилка', cancelled: 'Скасовано' },
  },
  result: {
    title: (label: string | null) => (label ? `Альтернатива ${label}` : 'Результат'),
    reached: 'доходять до відповідального гаранта',
    response: 'перша відповідь, p50 / p90',
    gaps: 'порушень у прогалинах покриття за прогін',
    stuck: 'ескалацій застрягло (глухий кут / вето) за прогін',
    falseTriggers: 'хибних спрацювань за прогін',
    held: (of: number) => `днів тиші з ${of}`,
    money: 'розблоковані кошти',
    notModelled: 'ще не моделюється',
    fates: 'Що сталося з порушеннями',
    responseHist: 'Час до першої відповіді (години)',
    series: 'Порушення та ескалації за день (середнє за прогонами)',
    breaches: 'порушення',
    escalations: 'ескалації',
    clauses: 'Положення, що найчастіше не спрацьовують (збої за прогін)',
    noClauses: 'У цих прогонах жодне положення не дало збою.',
    gapCells: 'Зачеплені прогалини покриття',
    kinds: { gap: 'прогалина', deadEnd: 'глухий кут', veto: 'вето', missedRungs: 'пропущені щаблі', falseTriggers: 'хибні спрацювання' },
  },
  fates: {
    reached: 'дійшли до гаранта',
    'no-responder': 'зобов’язання без провідного',
    unverified: 'не верифіковано',
    'denied-access': 'доступ заборонено',
    unattributed: 'не атрибутовано',
    uncovered: 'не охоплено зобов’язаннями',
    'below-threshold': 'нижче порогу',
    pending: 'ще верифікуються',
  },
  comparison: {
    title: (clause: string) => `Докази для положення ${clause}`,
    attach: 'Прикріпити до положення',
    attached: 'Прикріплено до положення: видно в переговорному просторі.',
    metric: 'Показник',
    runs: (runs: number, scenario: string, seed: number) => `${runs} прогонів «${scenario}», зерно ${seed}`,
    by: (who: string, when: string) => `прикріпив(ла) ${who}, ${when}`,
    none: 'До цього положення ще не прикріплено результатів стрес-тесту.',
  },
  hours: (h: number | null) => (h === null ? '—' : h < 48 ? `${h} год` : `${(h / 24).toFixed(1)} доб`),
};

export function useStressT(): StressMessages {
  return useLanguage().language === 'uk' ? stressUk : stressEn;
}
