/*
 * Interface text of the audit page's tree-log part (signed tree heads, in-browser proofs), in English
 * and Ukrainian. The chain status and journal table keep theirs in i18n/; this part's text lands with
 * it. `TreeMessages` makes the compiler check that the Ukrainian text has exactly the English keys.
 */
import { useLanguage } from '../i18n';

export const treeEn = {
  title: 'A log every party can check',
  intro:
    'The node signs the journal’s Merkle tree at intervals. Your browser checks the proofs itself, with its own cryptography, against heads it has kept — you need not trust the server.',
  latest: 'Latest signed tree head',
  none: 'No tree head has been signed yet.',
  loading: 'Loading the signed tree heads…',
  failed: 'The tree heads could not be loaded:',
  size: 'Events covered',
  root: 'Merkle root',
  issuedAt: 'Issued',
  keyId: 'Signing key',
  authorities: 'Time stamps',
  noAuthorities: 'none (no time-stamping authority configured)',
  signature: {
    valid: 'Signature checked in this browser (Ed25519)',
    invalid: 'The signature does NOT verify',
    unsupported: 'This browser has no Ed25519: signature checked by the server only',
    checking: 'Checking the signature…',
  } as Record<string, string>,
  signNow: 'Sign a head now',
  signing: 'Signing…',
  history: 'Tree heads over time',
  historyCaption: (n: number) => (n === 1 ? '1 signed head: events covered by each.' : `${n} signed heads: events covered by each.`),
  chartLabel: 'Size of each signed tree head over time',
  sizeAt: (size: number, when: string) => `${size} events · ${when}`,
  inclusion: {
    title: 'Check an event',
    intro: 'Fetch the event’s inclusion proof and recompute the signed root here, in your browser.',
    position: 'Journal position',
    positionHint: (max: number) => `1 to ${max}, an event you may read`,
    check: 'Check inclusion',
    checkThis: 'Check it is in the signed tree',
    checking: 'Checking…',
    positionInvalid: (max: number) => `Give a journal position from 1 to ${max}.`,
    included: (position: number, size: number) => `Event ${position} is in the signed tree of ${size} events.`,
    includedDetail: (steps: number, leaf: string) =>
      `Recomputed the root from the event’s hash ${leaf} in ${steps} hashing steps; it matches the signed root.`,
    failed: {
      proof: 'The proof does NOT lead to the signed root: this event is not in the tree the node signed.',
      leaf: 'The tree holds another hash for this event than the journal shows: the journal and its tree disagree.',
      root: 'The node’s tree of this size has another root than the one it signed: its history has changed.',
      signature: 'The tree head’s signature does not verify: the head cannot be relied on.',
    } as Record<string, string>,
  },
  consistency: {
    title: 'Check consistency',
    intro:
      'Heads this browser has seen are kept on this device. Prove that the older one is a prefix of the newer: nothing before it was changed, removed or reordered.',
    older: 'Older head',
    newer: 'Newer head',
    check: 'Check consistency',
    checking: 'Checking…',
    needTwo: 'This browser has seen one head so far. Come back after the next one is signed to compare them.',
    option: (size: number, root: string, when: string) => `${size} events · ${root} · ${when}`,
    consistent: (older: number, newer: number) => `Consistent: the head of ${older} events is a prefix of the head of ${newer}.`,
    consistentDetail: (steps: number) => `Verified here with ${steps} proof hashes against the roots this browser kept.`,
    inconsistent: 'HISTORY WAS REWRITTEN',
    inconsistentDetail: {
      proof: (older: string, newer: string) =>
        `The head ${older} is NOT a prefix of the head ${newer}. Events before it were changed, removed or reordered.`,
      'same-size': (older: string, newer: string) =>
        `Two different roots were signed for the same size: ${older} and ${newer}. Two histories exist.`,
      truncated: (older: string, newer: string) =>
        `The node no longer has a tree as large as the head ${newer} (checked against ${older}): its history was cut short.`,
    } as Record<string, (older: string, newer: string) => string>,
    headName: (size: number, root: string) => `of ${size} events (root ${root})`,
    keep: 'Tell the other parties and the mediator, and keep this page’s heads: they are the evidence.',
    auto: (older: number, newer: number) => `The latest head extends the head this browser kept from before (${older} → ${newer} events).`,
    autoFailed: 'The latest head could not be checked against the heads this browser kept:',
    seen: (n: number) => (n === 1 ? 'This browser holds 1 head.' : `This browser holds ${n} heads.`),
    notSaved: 'This browser would not store the heads (private window or full storage): they are kept only until you leave.',
  },
  problem: 'The node refused:',
};

export type TreeMessages = typeof treeEn;

export const treeUk: TreeMessages = {
  title: 'Журнал, який може перевірити кожна сторона',
  intro:
    'Вузол періодично підписує дерево Меркла журналу. Ваш браузер сам перевіряє докази власною криптографією щодо збережених голів — довіряти серверу не потрібно.',
  latest: 'Остання підписана голова дерева',
  none: 'Жодної голови дерева ще не підписано.',
  loading: 'Завантаження підписаних голів дерева…',
  failed: 'Не вдалося завантажити голови дерева:',
  size: 'Охоплено подій',
  root: 'Корінь Меркла',
  issuedAt: 'Видано',
  keyId: 'Ключ підпису',
  authorities: 'Позначки часу',
  noAuthorities: 'немає (служби позначок часу не налаштовано)',
  signature: {
    valid: 'Підпис перевірено в цьому браузері (Ed25519)',
    invalid: 'Підпис НЕ підтверджується',
    unsupported: 'Цей браузер не підтримує Ed25519: підпис перевірив лише сервер',
    checking: 'Перевірка підпису…',
  },
  signNow: 'Підписати голову зараз',
  signing: 'Підписання…',
  history: 'Голови дерева в часі',
  historyCaption: (n: number) => `Підписаних голів: ${n}; скільки подій охоплює кожна.`,
  chartLabel: 'Розмір кожної підписаної голови дерева в часі',
  sizeAt: (size: number, when: string) => `подій: ${size} · ${when}`,
  inclusion: {
    title: 'Перевірити подію',
    intro: 'Отримати доказ включення події і переобчислити підписаний корінь тут, у вашому браузері.',
    position: 'Позиція в журналі',
    positionHint: (max: number) => `від 1 до ${max}, подія, яку ви можете читати`,
    check: 'Перевірити включення',
    checkThis: 'Перевірити, що подія є в підписаному дереві',
    checking: 'Перевірка…',
    positionInvalid: (max: number) => `Вкажіть позицію в журналі від 1 до ${max}.`,
    included: (position: number, size: number) => `Подія ${position} є в підписаному дереві з ${size} подій.`,
    includedDetail: (steps: number, leaf: string) =>
      `Корінь переобчислено з хешу події ${leaf} за ${steps} кроків гешування; він збігається з підписаним коренем.`,
    failed: {
      proof: 'Доказ НЕ веде до підписаного кореня: цієї події немає в дереві, яке підписав вузол.',
      leaf: 'Дерево містить інший хеш цієї події, ніж показує журнал: журнал і його дерево не збігаються.',
      root: 'Дерево вузла цього розміру має інший корінь, ніж підписаний: його історію змінено.',
      signature: 'Підпис голови дерева не підтверджується: на цю голову не можна покладатися.',
    },
  },
  consistency: {
    title: 'Перевірити узгодженість',
    intro:
      'Голови, які бачив цей браузер, зберігаються на цьому пристрої. Доведіть, що старіша є префіксом новішої: нічого до неї не змінено, не вилучено і не переставлено.',
    older: 'Старіша голова',
    newer: 'Новіша голова',
    check: 'Перевірити узгодженість',
    checking: 'Перевірка…',
    needTwo: 'Цей браузер поки бачив одну голову. Поверніться після підписання наступної, щоб їх порівняти.',
    option: (size: number, root: string, when: string) => `подій: ${size} · ${root} · ${when}`,
    consistent: (older: number, newer: number) => `Узгоджено: голова з ${older} подій є префіксом голови з ${newer}.`,
    consistentDetail: (steps: number) => `Перевірено тут за ${steps} хешами доказу щодо коренів, збережених цим браузером.`,
    inconsistent: 'ІСТОРІЮ ПЕРЕПИСАНО',
    inconsistentDetail: {
      proof: (older: string, newer: string) =>
        `Голова ${older} НЕ є префіксом голови ${newer}. Події до неї змінено, вилучено або переставлено.`,
      'same-size': (older: string, newer: string) =>
        `Для одного розміру підписано два різні корені: ${older} і ${newer}. Існують дві історії.`,
      truncated: (older: string, newer: string) =>
        `Вузол більше не має дерева такого розміру, як голова ${newer} (перевірено щодо ${older}): його історію обрізано.`,
    },
    headName: (size: number, root: string) => `з ${size} подій (корінь ${root})`,
    keep: 'Повідомте інші сторони й посередника і збережіть голови цієї сторінки: вони є доказом.',
    auto: (older: number, newer: number) => `Остання голова продовжує голову, збережену цим браузером раніше (${older} → ${newer} подій).`,
    autoFailed: 'Не вдалося перевірити останню голову щодо голів, збережених цим браузером:',
    seen: (n: number) => `Цей браузер зберігає голів: ${n}.`,
    notSaved: 'Цей браузер не зберігає голови (приватне вікно або брак місця): вони збережені лише до виходу зі сторінки.',
  },
  problem: 'Вузол відмовив:',
};

/** The tree-log part's text in the reader's language. */
export function useTreeT(): TreeMessages {
  return useLanguage().language === 'uk' ? treeUk : treeEn;
}
