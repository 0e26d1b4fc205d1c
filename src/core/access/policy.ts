import type { Principal, Reader, Role } from './roles';

/**
 * Every command and read the system offers, with who may do it. Deny by default: an action not in
 * this table, or a principal without a listed role, is refused. Machines (tokens) also need the scope.
 * One screen per module; later modules add their rows here.
 */
export const POLICY = {
  // identity and administration
  'party.create': { roles: ['admin'], scope: 'admin' },
  'party.list': { roles: 'signed-in', scope: 'read' },
  'user.create': { roles: ['admin'], scope: 'admin' },
  'user.list': { roles: ['admin'], scope: 'admin' },
  'token.create': { roles: ['admin'], scope: 'admin' },
  'grant.give': { roles: ['admin'], scope: 'admin' },
  // the API itself
  'api.describe': { roles: 'anyone', scope: 'read' },
  'health.read': { roles: 'anyone', scope: 'read' },
  'session.read': { roles: 'signed-in', scope: 'read' },
  'session.end': { roles: 'signed-in', scope: 'read' },
  // journal
  'journal.read': { roles: 'signed-in', scope: 'read' },
  'journal.status': { roles: 'signed-in', scope: 'read' },
  'stream.subscribe': { roles: 'anyone', scope: 'read' },
  // the log every party can check (RFC 9162): heads and consistency proofs carry only hashes, so anyone
  // may fetch them; an inclusion proof is given only for an event the reader may read; an admin may
  // have a head signed now rather than at the next interval
  'journal.tree-head': { roles: 'anyone', scope: 'read' },
  'journal.prove': { roles: 'anyone', scope: 'read' },
  'journal.consistency': { roles: 'anyone', scope: 'read' },
  'journal.sign-tree-head': { roles: ['admin'], scope: 'admin' },
  // the framework: one versioned text
  'framework.read': { roles: 'signed-in', scope: 'read' },
  'framework.record': { roles: ['mediator'], scope: 'framework:write' },
  'framework.sign': { roles: ['signer'], scope: 'framework:sign' },
  'framework.force': { roles: ['mediator'], scope: 'framework:write' },
  // ceasefire operations (intake only, so far)
  'report.file': { roles: ['monitor', 'delegate', 'mediator', 'humanitarian'], scope: 'reports:write' },
  'report.list': { roles: 'signed-in', scope: 'read' },
  // cases and verification: monitors investigate, the mechanism records findings, the mediator
  // regroups reports, parties dissent; every participant reads (coordinates per need-to-know)
  'case.list': { roles: 'signed-in', scope: 'read' },
  'case.lock': { roles: ['monitor'], scope: 'reports:write' },
  'case.change-status': { roles: ['monitor'], scope: 'reports:write' },
  'case.record-finding': { roles: ['monitor'], scope: 'reports:write' },
  'case.regroup': { roles: ['mediator'], scope: 'reports:write' },
  'case.dissent': { roles: ['delegate'], scope: 'reports:write' },
  'access-denial.record': { roles: ['monitor'], scope: 'reports:write' },
  'access-denial.list': { roles: 'signed-in', scope: 'read' },
  'correlation.read': { roles: 'signed-in', scope: 'read' },
  'correlation.configure': { roles: ['mediator'], scope: 'reports:write' },
  'operations.map': { roles: 'signed-in', scope: 'read' },
  'operations.export': { roles: 'signed-in', scope: 'read' },
  // the public: verified cases at public precision, and the daily report without narratives
  'operations.public': { roles: 'anyone', scope: 'read' },
  'daily-report.read': { roles: 'anyone', scope: 'read' },
  // bulk import (CSV with a mapping, GeoJSON, UCDP GED): the mechanism and the mediator bring in outside data
  'report.import': { roles: ['monitor', 'mediator'], scope: 'reports:write' },
  'report.import-status': { roles: ['monitor', 'mediator'], scope: 'read' },
  // humanitarian deconfliction: organisations notify, the parties' delegates acknowledge (receipt, not
  // approval); every participant reads notices (exact places per need-to-know) and the alerts meant for them
  'notice.notify': { roles: ['humanitarian'], scope: 'notices:write' },
  'notice.withdraw': { roles: ['humanitarian'], scope: 'notices:write' },
  'notice.acknowledge': { roles: ['delegate'], scope: 'notices:acknowledge' },
  'notice.read': { roles: 'signed-in', scope: 'read' },
  'alert.read': { roles: 'signed-in', scope: 'read' },
  // security guarantees: the coverage of a text and who is on the hook are for every participant; an
  // escalation is read per its visibility (never by the party it is against); the owners of a rung act on it
  'guarantees.coverage': { roles: 'signed-in', scope: 'read' },
  'guarantees.on-the-hook': { roles: 'signed-in', scope: 'read' },
  'escalation.list': { roles: 'signed-in', scope: 'read' },
  'escalation.act': { roles: ['guarantor', 'monitor'], scope: 'guarantees:write' },
  'cap.read': { roles: 'anyone', scope: 'read' },
  // webhooks to guarantor systems: an admin, or a guarantor for its own party
  'webhook.register': { roles: ['admin', 'guarantor'], scope: 'webhooks:write' },
  'webhook.dead-letters': { roles: ['admin', 'guarantor'], scope: 'read' },
  'webhook.replay': { roles: ['admin', 'guarantor'], scope: 'webhooks:write' },
  // the negotiating workspace: parties record stances and propose; every number is computed per reader
  'negotiation.read': { roles: 'signed-in', scope: 'read' },
  'negotiation.position': { roles: ['delegate', 'signer'], scope: 'negotiation:write' },
  'negotiation.propose': { roles: ['delegate', 'signer'], scope: 'negotiation:write' },
  'negotiation.comment': { roles: ['delegate', 'signer', 'mediator'], scope: 'negotiation:write' },
  'negotiation.decide': { roles: ['mediator'], scope: 'negotiation:write' },
  'negotiation.mediate': { roles: ['mediator'], scope: 'read' },
  // merging accepted proposals records the next framework version: the mediator, with the framework's scope
  'negotiation.merge': { roles: ['mediator'], scope: 'framework:write' },
  // evidence (issue 11): who brings files in and who analyses them; every read of an item is itself a custody
  // event with a purpose, and items are read per their readers (mechanism, mediator, the submitting party, grants);
  // only the mediator publishes, and only derivatives; reporter identities open to the mechanism alone
  'evidence.submit': { roles: ['monitor', 'delegate', 'mediator', 'humanitarian'], scope: 'evidence:write' },
  'evidence.read': { roles: 'signed-in', scope: 'read' },
  'evidence.derive': { roles: ['monitor', 'mediator'], scope: 'evidence:write' },
  'evidence.analyse': { roles: ['monitor'], scope: 'evidence:write' },
  'evidence.challenge': { roles: ['delegate', 'signer', 'guarantor'], scope: 'evidence:write' },
  'evidence.transfer': { roles: ['monitor', 'mediator'], scope: 'evidence:write' },
  'evidence.access': { roles: ['monitor', 'mediator'], scope: 'evidence:write' },
  'evidence.publish': { roles: ['mediator'], scope: 'evidence:write' },
  'evidence.reporter': { roles: ['monitor'], scope: 'evidence:write' },
  'evidence.public': { roles: 'anyone', scope: 'read' },
  // prisoner exchanges (issue 8): each side's information bureau declares its lists and opens its own
  // identities; the intermediary reconciles, runs tranches and opens what is sealed for it; the mediator
  // reads aggregates only ("<5" for small counts); observers and the public only published aggregates
  'exchange.formulas': { roles: ['bureau', 'intermediary', 'mediator'], scope: 'read' },
  'exchange.declare': { roles: ['bureau'], scope: 'exchanges:write' },
  'exchange.report': { roles: ['bureau', 'intermediary'], scope: 'exchanges:write' },
  'exchange.lists': { roles: ['bureau', 'intermediary'], scope: 'read' },
  'exchange.identity': { roles: ['bureau', 'intermediary'], scope: 'exchanges:identities' },
  'exchange.reconcile': { roles: ['bureau', 'intermediary'], scope: 'read' },
  'exchange.tranche': { roles: ['intermediary'], scope: 'exchanges:write' },
  'exchange.tranches': { roles: ['bureau', 'intermediary'], scope: 'read' },
  'exchange.attest': { roles: ['bureau', 'intermediary'], scope: 'exchanges:write' },
  'exchange.aggregates': { roles: ['bureau', 'intermediary', 'mediator'], scope: 'read' },
  'exchange.publish': { roles: ['intermediary'], scope: 'exchanges:write' },
  'exchange.published': { roles: 'anyone', scope: 'read' },
  'exchange.retire-keys': { roles: ['admin'], scope: 'admin' },
  // process sequencing (issue 7): every participant reads the sequence and what blocks it; the mediator
  // plans meetings and their prerequisites; delegates and the mediator keep minutes (labels they choose);
  // a party attests facts meetings wait for; each person gets a calendar feed at a secret address
  'process.read': { roles: 'signed-in', scope: 'read' },
  'process.plan': { roles: ['mediator'], scope: 'process:write' },
  'process.minutes': { roles: ['mediator', 'delegate'], scope: 'process:write' },
  'process.attest': { roles: ['delegate', 'signer', 'intermediary', 'mediator'], scope: 'process:write' },
  'process.feed': { roles: 'signed-in', scope: 'process:feed' },
  'process.feed-read': { roles: 'anyone', scope: 'read' },
  // prosperity package (issue 9): every participant reads the money, its conditions and the IATI/OCDS
  // exports; donors, investors and insurers (role donor) register and move money, the secretariat
  // (mediator) registers projects and rates with them; a release is further checked against the
  // tranche's named approver; a party attests the milestones named after it
  'prosperity.read': { roles: 'signed-in', scope: 'read' },
  'prosperity.register': { roles: ['donor', 'mediator'], scope: 'prosperity:write' },
  'prosperity.fund': { roles: ['donor'], scope: 'prosperity:write' },
  'prosperity.release': { roles: ['donor', 'mediator'], scope: 'prosperity:release' },
  'prosperity.report': { roles: ['donor', 'mediator', 'humanitarian'], scope: 'prosperity:write' },
  'prosperity.attest': { roles: ['donor', 'delegate', 'signer', 'mediator', 'monitor', 'intermediary'], scope: 'prosperity:write' },
  // stress test (issue 10): those who negotiate or answer for the text run scenarios against it (runs are
  // the runner's own; the mediator sees all); a finished comparison of a clause's alternatives is attached
  // to the clause by a negotiator and read by every participant in the workspace
  'stress.read': { roles: 'signed-in', scope: 'read' },
  'stress.run': { roles: ['mediator', 'delegate', 'signer', 'guarantor', 'monitor'], scope: 'stress:run' },
  'stress.attach': { roles: ['mediator', 'delegate', 'signer'], scope: 'negotiation:write' },
} as const satisfies Record<string, { roles: readonly Role[] | 'signed-in' | 'anyone'; scope: string }>;

export type Action = keyof typeof POLICY;

export function isAction(name: string): name is Action {
  return Object.prototype.hasOwnProperty.call(POLICY, name);
}

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: 'unauthenticated' | 'forbidden'; readonly message: string };

export function decide(reader: Reader, action: Action): Decision {
  const rule = POLICY[action];
  if (rule.roles === 'anyone') return scopeAllows(reader, rule.scope, action);
  if (!reader) return { allowed: false, reason: 'unauthenticated', message: 'sign in first' };
  if (rule.roles !== 'signed-in' && !reader.roles.some((r) => (rule.roles as readonly Role[]).includes(r))) {
    return { allowed: false, reason: 'forbidden', message: `${action} needs one of the roles: ${(rule.roles as readonly Role[]).join(', ')}` };
  }
  return scopeAllows(reader, rule.scope, action);
}

function scopeAllows(reader: Reader, scope: string, action: Action): Decision {
  if (!reader || reader.scopes === null) return { allowed: true };
  if (reader.scopes.includes(scope) || (scope === 'read' && reader.scopes.length > 0)) return { allowed: true };
  return { allowed: false, reason: 'forbidden', message: `${action} needs a token with the scope "${scope}"` };
}

/** May this reader see a record with these visibility labels? Any one admitting label suffices. */
export function canRead(reader: Reader, visibility: readonly string[]): boolean {
  for (const label of visibility) {
    if (admits(reader, label)) return true;
  }
  return false;
}

function admits(reader: Reader, label: string): boolean {
  if (label === 'public') return true;
  if (!reader) return false;
  switch (label) {
    case 'process':
      return true;
    case 'mediator':
      return reader.roles.includes('mediator');
    case 'intermediary':
      return reader.roles.includes('intermediary');
    case 'admin':
      return reader.roles.includes('admin');
  }
  if (label.startsWith('party:')) return reader.party !== null && label === `party:${reader.party}`;
  if (label.startsWith('grant:')) return reader.grants.includes(label.slice(6));
  return false;
}

export function hasGrant(reader: Reader, grant: string): boolean {
  return reader !== null && reader.grants.includes(grant);
}

export function describe(principal: Principal): string {
  return `${principal.username}${principal.party ? ` (${principal.party})` : ''}`;
}
