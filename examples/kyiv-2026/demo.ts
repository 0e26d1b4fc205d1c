import type { Role } from '../../src/core/access/roles';
import type { NewParty } from '../../src/core/identity/identity';
import type { ReportInput } from '../../src/core/operations/report';

/** Demo sign-ins, printed when `npm start` seeds an empty data directory. Never use in production. */
export const DEMO_PASSWORD = 'entente-demo-2026';

export const DEMO_PARTIES: NewParty[] = [
  { id: 'ua', name: 'Ukraine', kind: 'state' },
  { id: 'ru', name: 'Russian Federation', kind: 'state' },
  { id: 'us', name: 'United States', kind: 'state' },
  { id: 'gb', name: 'United Kingdom', kind: 'state' },
  { id: 'fr', name: 'France', kind: 'state' },
  { id: 'de', name: 'Germany', kind: 'state' },
  { id: 'tr', name: 'Türkiye', kind: 'state' },
  { id: 'eu', name: 'European Commission', kind: 'organisation' },
  { id: 'nato', name: 'NATO', kind: 'organisation' },
  { id: 'mechanism', name: 'Monitoring and Verification Mechanism', kind: 'mechanism' },
  { id: 'secretariat', name: 'Mediation Secretariat', kind: 'organisation' },
  { id: 'icrc', name: 'International Committee of the Red Cross', kind: 'organisation' },
];

export const DEMO_USERS: { username: string; displayName: string; party: string | null; roles: Role[] }[] = [
  { username: 'admin', displayName: 'System administrator', party: 'secretariat', roles: ['admin'] },
  { username: 'mediator', displayName: 'Chief mediator', party: 'secretariat', roles: ['mediator'] },
  { username: 'ua-delegate', displayName: 'Delegate of Ukraine', party: 'ua', roles: ['delegate', 'signer'] },
  { username: 'ru-delegate', displayName: 'Delegate of the Russian Federation', party: 'ru', roles: ['delegate', 'signer'] },
  { username: 'us-guarantor', displayName: 'US operations centre', party: 'us', roles: ['guarantor', 'signer'] },
  { username: 'gb-delegate', displayName: 'Delegate of the United Kingdom', party: 'gb', roles: ['delegate', 'signer'] },
  { username: 'fr-delegate', displayName: 'Delegate of France', party: 'fr', roles: ['delegate', 'signer'] },
  { username: 'de-delegate', displayName: 'Delegate of Germany', party: 'de', roles: ['delegate', 'signer'] },
  { username: 'tr-delegate', displayName: 'Delegate of Türkiye', party: 'tr', roles: ['delegate', 'signer'] },
  { username: 'monitor', displayName: 'Field monitor, Zaporizhzhia team', party: 'mechanism', roles: ['monitor'] },
  { username: 'intermediary', displayName: 'Exchange intermediary', party: 'tr', roles: ['intermediary'] },
  { username: 'ua-bureau', displayName: 'National Information Bureau of Ukraine', party: 'ua', roles: ['bureau'] },
  { username: 'ru-bureau', displayName: 'Information bureau of the Russian Federation', party: 'ru', roles: ['bureau'] },
  { username: 'humanitarian', displayName: 'Humanitarian liaison', party: 'icrc', roles: ['humanitarian'] },
  { username: 'donor', displayName: 'Donor representative', party: 'eu', roles: ['donor'] },
  { username: 'observer', displayName: 'Accredited observer', party: null, roles: ['observer'] },
];

/** A few reports along the front, in January 2026, so the shell has something to show. */
export const DEMO_REPORTS: ReportInput[] = [
  { occurredAt: '2026-01-07T05:40:00+02:00', location: { lon: 35.93, lat: 47.47 }, domain: 'land', type: 'shelling-impact', source: 'patrol-heard', narrative: 'Four impacts heard south-east of Orikhiv, 120 mm mortar assessed.' },
  { occurredAt: '2026-01-07T06:02:00+02:00', location: { lon: 35.95, lat: 47.46 }, domain: 'land', type: 'shelling-impact', source: 'fixed-camera', narrative: 'Camera at the buffer-zone post recorded two impacts, craters confirmed at first light.' },
  { occurredAt: '2026-01-08T22:15:00+02:00', location: { lon: 37.8, lat: 48.58 }, domain: 'air', type: 'drone', source: 'sensor', narrative: 'Acoustic sensor registered a loitering munition crossing the contact line near Kostiantynivka.' },
  { occurredAt: '2026-01-09T11:30:00+02:00', location: { lon: 37.55, lat: 47.1 }, domain: 'land', type: 'movement-restriction', source: 'patrol-saw', narrative: 'Patrol denied passage at a checkpoint west of Mariupol for 3 hours.' },
  { occurredAt: '2026-01-10T03:20:00+02:00', location: { lon: 31.9, lat: 45.9 }, domain: 'sea', type: 'naval', source: 'party-claim', narrative: 'Party claim: unidentified vessel approached the corridor buffer without registration.' },
];

/**
 * The framework's history in the demo: the example as drafted in Kyiv (version 1), the Paris text
 * that every signatory signed and that entered into force on 7 January (version 2), and a third
 * draft signed so far by Ukraine and the United States only — so "same script" shows red.
 */
export const DEMO_FRAMEWORK_VERSIONS: { note: string; edits: [string, string][]; signedBy: string[]; inForceAt?: string }[] = [
  { note: 'Kyiv draft after the advisers\' meeting of 3 January', edits: [], signedBy: ['ru-delegate'] },
  {
    note: 'Paris text of 6 January',
    edits: [
      ['version: Paris draft 1 (illustrative)', 'version: Paris text (illustrative)'],
      ['security advisers in Kyiv on 3 January 2026.', 'security advisers in Kyiv on 3 January 2026, and the Government of France for hosting the leaders in Paris on 6 January 2026.'],
    ],
    signedBy: ['ua-delegate', 'ru-delegate', 'us-guarantor', 'gb-delegate', 'fr-delegate', 'de-delegate', 'tr-delegate'],
    inForceAt: '2026-01-07T00:00:00+02:00',
  },
  {
    note: 'Ankara draft: exchanges',
    edits: [
      ['version: Paris text (illustrative)', 'version: Ankara draft (illustrative)'],
      ['leaders in Paris on 6 January 2026.', 'leaders in Paris on 6 January 2026, and the Republic of Türkiye for preparing the exchanges in Ankara.'],
    ],
    signedBy: ['ua-delegate', 'us-guarantor'],
  },
];
