/*
 * English interface text. The shape of this object is the dictionary type (`Messages`): every other
 * language must supply exactly these keys, and the compiler says which one is missing or extra.
 * Messages that take values are functions, so a translation cannot forget a placeholder.
 */

import type { Role } from '../../core/access/roles';
import type { ReportDomain, ReportSource, ReportType } from '../api';

const plural = new Intl.PluralRules('en');
const count = (n: number, one: string, other: string): string => `${n.toLocaleString('en-GB')} ${plural.select(n) === 'one' ? one : other}`;

export const en = {
  meta: {
    languageName: 'English',
    locale: 'en-GB',
  },
  app: {
    name: 'Entente',
    tagline: 'The working system of a peace process',
    skipToContent: 'Skip to main content',
    loading: 'Loading…',
    pageLoadFailed: 'This page could not be loaded.',
    retry: 'Try again',
    language: 'Language',
    menu: 'Menu',
    closeMenu: 'Close menu',
  },
  signIn: {
    title: 'Sign in',
    intro: 'Sign in with the account your secretariat gave you. Everything you do is recorded in the journal under your name.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    required: 'Fill in this field.',
    rateLimited: (seconds: number | null) =>
      seconds === null
        ? 'Too many attempts. Wait a moment before trying again.'
        : `Too many attempts. Try again in ${count(seconds, 'second', 'seconds')}.`,
    sessionEnded: 'Your session has ended. Sign in again to continue.',
    signedOut: 'You have signed out.',
    network: 'The server cannot be reached. Check your connection and try again.',
  },
  header: {
    actingFor: (party: string) => `acting for ${party}`,
    noParty: 'not acting for a party',
    roles: 'Roles',
    signedInAs: 'Signed in as',
    signOut: 'Sign out',
    account: 'Your account',
  },
  connection: {
    label: 'Live connection',
    connecting: 'connecting',
    connected: 'connected',
    reconnecting: 'reconnecting',
    offline: 'offline',
    explainConnected: 'New events arrive as they are recorded.',
    explainReconnecting: 'The live stream was interrupted; reconnecting and catching up.',
    explainOffline: 'No connection to the server. What you see may be out of date.',
  },
  roles: {
    mediator: 'mediator',
    delegate: 'delegate',
    signer: 'signer',
    guarantor: 'guarantor',
    monitor: 'monitor',
    intermediary: 'intermediary',
    humanitarian: 'humanitarian',
    donor: 'donor',
    observer: 'observer',
    admin: 'administrator',
  } satisfies Record<Role, string>,
  nav: {
    label: 'Modules',
    overview: 'Overview',
    framework: 'Framework',
    negotiation: 'Negotiation',
    process: 'Process',
    operations: 'Operations',
    guarantees: 'Guarantees',
    exchanges: 'Exchanges',
    prosperity: 'Prosperity',
    stress: 'Stress test',
    audit: 'Audit',
  },
  modules: {
    framework: {
      summary: 'The one text the parties negotiate, sign by its hash and then carry out.',
      coming:
        'Here you will read and compare the framework: versioned clauses in every working language, each with its machine-readable part — zones, withdrawal lines, commitments, escalation ladders. Parties sign a version by its hash, so that everyone can check they are reading from the same script.',
    },
    negotiation: {
      summary: 'Positions clause by clause, proposals and the gaps between the parties.',
      coming:
        'Here delegations will record positions on each clause on an eight-point scale of agreement, table proposals and amendments, and see a gap map of where agreement is closest. Your positions stay private to your delegation until you share them.',
    },
    process: {
      summary: 'Tracks, meetings and what each one depends on.',
      coming:
        'Here the secretariat will sequence the talks: tracks and meetings in person, virtual or hybrid, the prerequisites of each, the critical path and what slips, with a time-zone slot finder and calendar feeds.',
    },
    operations: {
      summary: 'The live picture of the ceasefire: reports, verification, deconfliction.',
      coming:
        'The full operations picture — a map, verification and attribution, zones, humanitarian notifications and the daily report — comes here next. Until then: the live feed of reports and a form to file one.',
    },
    guarantees: {
      summary: 'Who acts when the ceasefire is breached, why and by when.',
      coming:
        'Here each guarantor will see its commitments, checked for gaps, overlaps and dead ends. When a breach triggers a commitment, it will show who must act, why, and by when — on escalation clocks that do not forget.',
    },
    exchanges: {
      summary: 'Prisoner exchanges through a neutral intermediary.',
      coming:
        "Here the intermediary will reconcile the two sides' lists without exposing names, resolve discrepancies, apply the agreed formula and run each tranche through to a verified handover.",
    },
    prosperity: {
      summary: 'Money pledged for reconstruction, released as peace holds.',
      coming:
        "Here donors, investors and insurers will follow pledges to commitments, tranches and disbursements, and see which conditions hold — computed from the process's own milestones — and what money they unlock.",
    },
    stress: {
      summary: 'Simulated breaches run against the text before anyone signs.',
      coming:
        'Here you will run seeded scenarios — false claims, spirals of escalation, denied access, slow or vetoing guarantors — through the very same rules, and see clause by clause whether the text works on the ground.',
    },
    audit: {
      summary: 'The tamper-evident journal of everything recorded, and its integrity.',
    },
  },
  comingSoon: {
    badge: 'In preparation',
  },
  overview: {
    title: 'Overview',
    welcome: (name: string) => `Welcome, ${name}.`,
    intro:
      'Entente holds the one text the parties negotiate and, once it is in force, runs the ceasefire it sets up. Choose where to work.',
    promises: 'Nothing acknowledged is ever lost; nobody reads what they are not entitled to; every number can be traced to its evidence.',
  },
  audit: {
    title: 'Audit',
    intro:
      'Every change in Entente is an event in one hash-chained journal. Here you can check the chain and browse the events you are entitled to see.',
    chainTitle: 'Chain integrity',
    checking: 'Checking the chain…',
    verified: 'Chain verified',
    broken: 'Chain broken',
    faultAt: (position: number, fault: string) => `First fault at position ${position}: ${fault}.`,
    faults: {
      altered: 'an event was altered',
      missing: 'an event is missing',
      reordered: 'events are out of order',
      inserted: 'an event was inserted',
      'bad-signature': 'a checkpoint signature is invalid',
    },
    events: (n: number) => count(n, 'event', 'events'),
    verifiedBefore: (n: number) => (n === 0 ? 'No event could be verified.' : `Events 1–${n} check out.`),
    checkpoints: (n: number) => count(n, 'signed checkpoint', 'signed checkpoints'),
    lastCheckpoint: (position: number, at: string) => `last at position ${position}, ${at}`,
    noCheckpoint: 'No signed checkpoint yet',
    head: 'Head hash',
    checkedAt: (at: string) => `Checked ${at}`,
    checkAgain: 'Check again',
    statusFailed: 'The chain status could not be loaded.',
    journalTitle: 'Journal',
    journalIntro: 'Newest first. New events appear at the top as they are recorded.',
    live: 'Live',
    latest: 'Latest',
    older: 'Older',
    newer: 'Newer',
    showing: (from: number, to: number) => `Positions ${from}–${to}`,
    newSince: (n: number) => `${count(n, 'new event', 'new events')} since this page — show latest`,
    empty: 'No events you may see yet.',
    loadFailed: 'The journal could not be loaded.',
    columns: {
      position: 'Position',
      recordedAt: 'Recorded',
      type: 'Type',
      stream: 'Stream',
      actor: 'Actor',
      party: 'Party',
      visibility: 'Visibility',
      hash: 'Hash',
    },
    tableLabel: 'Journal events',
    expand: (position: number) => `Show details of event ${position}`,
    collapse: (position: number) => `Hide details of event ${position}`,
    payload: 'Payload',
    streamVersion: 'Stream version',
    idempotencyKey: 'Idempotency key',
    fullHash: 'Hash',
    prevHash: 'Previous hash',
    none: '—',
  },
  operations: {
    title: 'Operations',
    feedTitle: 'Report feed',
    feedIntro: 'Reports as they are filed, newest first. Verification and attribution come later; these are claims, not findings.',
    feedEmpty: 'No reports yet.',
    feedFailed: 'The reports could not be loaded.',
    reportedBy: (who: string, party: string | null) => (party ? `reported by ${who} (${party})` : `reported by ${who}`),
    occurred: 'Occurred',
    location: 'Location',
    source: 'Source',
    position: (n: number) => `journal position ${n}`,
    formTitle: 'File a report',
    formIntro: 'What was observed, where and when. The report is recorded in the journal under your name.',
    cannotFile: 'Your roles do not allow filing reports. Monitors, delegates, mediators and humanitarian organisations can file them.',
    occurredAt: 'When it happened',
    occurredAtHint: (zone: string) => `Your local time (${zone}).`,
    longitude: 'Longitude',
    latitude: 'Latitude',
    latitudeValue: (degrees: string, north: boolean) => `${degrees}° ${north ? 'N' : 'S'}`,
    longitudeValue: (degrees: string, east: boolean) => `${degrees}° ${east ? 'E' : 'W'}`,
    coordinatesHint: 'Decimal degrees, WGS 84 (e.g. longitude 37.55, latitude 47.10).',
    domain: 'Domain',
    type: 'Type of incident',
    sourceLabel: 'How it was observed',
    narrative: 'What happened',
    narrativeHint: 'Facts only: what was seen or heard, by whom, and what is uncertain.',
    submit: 'File report',
    submitting: 'Filing…',
    filed: (position: number) => `Report filed at journal position ${position}.`,
    invalidNumber: 'Enter a number.',
    outOfRange: (min: number, max: number) => `Enter a value between ${min} and ${max}.`,
    invalidTime: 'Enter a date and time.',
    required: 'Fill in this field.',
    failed: 'The report was not filed.',
  },
  reportDomains: {
    land: 'land',
    air: 'air',
    sea: 'sea',
    cyber: 'cyber',
  } satisfies Record<ReportDomain, string>,
  reportTypes: {
    'shelling-impact': 'shelling impact',
    airburst: 'airburst',
    'small-arms': 'small-arms fire',
    drone: 'drone',
    missile: 'missile',
    'air-incursion': 'air incursion',
    naval: 'naval incident',
    'weapon-beyond-withdrawal-line': 'weapon beyond the withdrawal line',
    'movement-restriction': 'restriction of movement',
    'civilian-casualty': 'civilian casualty',
    'infrastructure-damage': 'damage to infrastructure',
    other: 'other',
  } satisfies Record<ReportType, string>,
  reportSources: {
    'patrol-saw': 'patrol saw it',
    'patrol-heard': 'patrol heard it',
    'fixed-camera': 'fixed camera',
    drone: 'drone imagery',
    sensor: 'sensor',
    'party-claim': 'claim by a party',
    'open-source': 'open source',
  } satisfies Record<ReportSource, string>,
  errors: {
    network: 'The server cannot be reached. Check your connection.',
    badResponse: 'The server sent an answer this page does not understand.',
    notFoundTitle: 'Page not found',
    notFound: 'There is no page at this address.',
    backToOverview: 'Go to the overview',
  },
};

export type Messages = typeof en;
