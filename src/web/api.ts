import { z } from 'zod';
import { JournalEvent } from '../core/journal/envelope';

/*
 * The typed API client. Every response is parsed with a zod schema at the edge, so the rest of the
 * app works with checked values; every failure is a value (`ApiProblem`), never a thrown error.
 * Unsafe requests carry the session's CSRF token; POSTs carry an idempotency key, so a retried
 * submission returns the first result instead of filing twice.
 */

export { JournalEvent };

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  party: z.string().nullable(),
  roles: z.array(z.string()),
  grants: z.array(z.string()),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const Session = z.object({ user: SessionUser, csrfToken: z.string().min(1) });
export type Session = z.infer<typeof Session>;

export const Party = z.object({ id: z.string(), name: z.string(), kind: z.string() });
export type Party = z.infer<typeof Party>;
const PartyList = z.object({ parties: z.array(Party) });

export const JournalStatus = z.object({
  ok: z.boolean(),
  count: z.number().int().nonnegative(),
  head: z.string(),
  checkpoints: z.number().int().nonnegative(),
  lastCheckpoint: z.object({ position: z.number().int(), recordedAt: z.string() }).nullable(),
  checkedAt: z.string(),
  fault: z.object({ position: z.number().int(), fault: z.string(), message: z.string() }).optional(),
});
export type JournalStatus = z.infer<typeof JournalStatus>;

export const JournalPage = z.object({
  events: z.array(JournalEvent),
  next: z.number().int().nullable(),
  /** The journal's last position, when the server says it (beyond the contract; used when present). */
  head: z.number().int().optional(),
});
export type JournalPage = z.infer<typeof JournalPage>;

// The report vocabulary is core's: one list for the server, the client and the map.
export { DOMAINS as REPORT_DOMAINS, REPORT_TYPES, SOURCES as REPORT_SOURCES } from '../core/operations/model';
import { DOMAINS as REPORT_DOMAINS, REPORT_TYPES, SOURCES as REPORT_SOURCES } from '../core/operations/model';
export type ReportDomain = (typeof REPORT_DOMAINS)[number];
export type ReportType = (typeof REPORT_TYPES)[number];
export type ReportSource = (typeof REPORT_SOURCES)[number];

export const Location = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });

/** What a reporter submits. */
export const ReportDraft = z.object({
  occurredAt: z.string(),
  location: Location,
  domain: z.enum(REPORT_DOMAINS),
  type: z.enum(REPORT_TYPES),
  source: z.enum(REPORT_SOURCES),
  narrative: z.string(),
});
export type ReportDraft = z.infer<typeof ReportDraft>;

/**
 * A filed report as the server lists it. Enumerations are read as plain strings so that a value the
 * server adds later shows up (by its code) instead of hiding the whole list.
 */
export const Report = z.object({
  id: z.string(),
  occurredAt: z.string(),
  location: z.object({ lon: z.number(), lat: z.number() }),
  domain: z.string(),
  type: z.string(),
  source: z.string(),
  narrative: z.string(),
  reportedBy: z.string(),
  party: z.string().nullable(),
  position: z.number().int(),
});
export type Report = z.infer<typeof Report>;
const ReportList = z.object({ reports: z.array(Report) });
const ReportFiled = z.object({ id: z.string(), position: z.number().int() });
export type ReportFiled = z.infer<typeof ReportFiled>;

/** An RFC 9457 problem as the server sends it, plus the client's own codes for network and contract faults. */
export interface ApiProblem {
  readonly status: number;
  /** The server's code from its closed list, or `network` / `bad_response` from this client. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  /** RFC 6901 pointer to the request field at fault. */
  readonly pointer?: string;
  /** Seconds to wait, when the server said so (429). */
  readonly retryAfter?: number;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ApiProblem };

const ProblemBody = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  code: z.string().optional(),
  pointer: z.string().optional(),
});

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClientOptions {
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** Called when a request that needed a session got 401: the session has ended. */
  readonly onSessionEnded?: () => void;
}

export interface RequestOptions {
  readonly idempotencyKey?: string;
  /** Sign-in and the session probe expect 401 as an answer, not as the end of a session. */
  readonly expectUnauthenticated?: boolean;
}

/** A v4 UUID from getRandomValues: `crypto.randomUUID` exists only in secure contexts (not plain http on a LAN). */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class ApiClient {
  private csrfToken: string | null = null;
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;
  private onSessionEnded: (() => void) | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onSessionEnded = options.onSessionEnded;
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  setOnSessionEnded(handler: (() => void) | undefined): void {
    this.onSessionEnded = handler;
  }

  async request<T>(
    method: Method,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    if (method === 'POST') headers['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();

    let response: Response;
    try {
      response = await this.doFetch(this.baseUrl + path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      return { ok: false, problem: localProblem(0, 'network', 'Network error', error instanceof Error ? error.message : String(error)) };
    }

    if (!response.ok) {
      const problem = await readProblem(response);
      if (problem.status === 401 && !options.expectUnauthenticated) this.onSessionEnded?.();
      return { ok: false, problem };
    }
    if (response.status === 204) {
      const parsed = schema.safeParse(undefined);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: badResponse(response.status, 'an empty answer') };
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return { ok: false, problem: badResponse(response.status, 'an answer that is not JSON') };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `/${issue.path.map(String).join('/')}: ${issue.message}` : 'unknown';
      return { ok: false, problem: badResponse(response.status, `an answer that does not match the contract (${where})`) };
    }
    return { ok: true, value: parsed.data };
  }

  // --- session ---
  getSession(): Promise<ApiResult<Session>> {
    return this.request('GET', '/api/v1/session', Session, undefined, { expectUnauthenticated: true });
  }
  signIn(username: string, password: string): Promise<ApiResult<Session>> {
    return this.request('POST', '/api/v1/session', Session, { username, password }, { expectUnauthenticated: true });
  }
  signOut(): Promise<ApiResult<unknown>> {
    return this.request('DELETE', '/api/v1/session', z.unknown(), undefined, { expectUnauthenticated: true });
  }

  // --- identity ---
  async listParties(): Promise<ApiResult<readonly Party[]>> {
    const r = await this.request('GET', '/api/v1/parties', PartyList);
    return r.ok ? { ok: true, value: r.value.parties } : r;
  }

  // --- journal ---
  journalStatus(): Promise<ApiResult<JournalStatus>> {
    return this.request('GET', '/api/v1/journal/status', JournalStatus);
  }
  journalPage(after: number, limit: number): Promise<ApiResult<JournalPage>> {
    return this.request('GET', `/api/v1/journal?after=${after}&limit=${limit}`, JournalPage);
  }

  // --- operations ---
  async listReports(): Promise<ApiResult<readonly Report[]>> {
    const r = await this.request('GET', '/api/v1/reports', ReportList);
    return r.ok ? { ok: true, value: r.value.reports } : r;
  }
  fileReport(draft: ReportDraft, idempotencyKey: string): Promise<ApiResult<ReportFiled>> {
    return this.request('POST', '/api/v1/reports', ReportFiled, draft, { idempotencyKey });
  }
}

async function readProblem(response: Response): Promise<ApiProblem> {
  const retryAfterHeader = response.headers.get('Retry-After');
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  let body: z.infer<typeof ProblemBody> = {};
  try {
    const parsed = ProblemBody.safeParse(await response.json());
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line.
  }
  const title = body.title ?? (response.statusText || `HTTP ${response.status}`);
  return {
    status: response.status,
    code: body.code ?? CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? 'internal' : 'error'),
    title,
    detail: body.detail ?? title,
    type: body.type ?? 'about:blank',
    ...(body.pointer !== undefined ? { pointer: body.pointer } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

function localProblem(status: number, code: string, title: string, detail: string): ApiProblem {
  return { status, code, title, detail, type: 'about:blank' };
}

function badResponse(status: number, what: string): ApiProblem {
  return localProblem(status, 'bad_response', 'Unexpected answer from the server', `The server sent ${what}.`);
}

/** Does this problem name the given request field (or a field inside it)? */
export function problemAt(problem: ApiProblem | null, pointer: string): boolean {
  if (!problem?.pointer) return false;
  return problem.pointer === pointer || problem.pointer.startsWith(pointer + '/');
}

// --- framework ---------------------------------------------------------------------------------
// Functions over the client rather than methods, so that modules can add theirs without touching the class.

type FrameworkDocument = import('../core/framework/model').Framework;
type FrameworkDiffValue = import('../core/framework/diff').FrameworkDiff;

export const FrameworkVersionSummary = z.object({
  number: z.number().int().positive(),
  hash: z.string(),
  /** One hash per working language. */
  languages: z.record(z.string(), z.string()),
  recordedAt: z.string(),
  recordedBy: z.string(),
  note: z.string(),
  title: z.string(),
});
export type FrameworkVersionSummary = z.infer<typeof FrameworkVersionSummary>;

export const PARTY_SIGN_OFF_STATES = ['current', 'outdated', 'unsigned'] as const;
export const PartySignOff = z.object({
  party: z.string(),
  state: z.enum(PARTY_SIGN_OFF_STATES),
  signedHash: z.string().nullable(),
  signedVersion: z.number().int().nullable(),
  signer: z.string().nullable(),
  signedAt: z.string().nullable(),
});
export type PartySignOff = z.infer<typeof PartySignOff>;

export const FrameworkOverview = z.object({
  processId: z.string().nullable(),
  versions: z.array(FrameworkVersionSummary),
  signOff: z.object({
    currentHash: z.string().nullable(),
    currentVersion: z.number().int().nullable(),
    sameScript: z.boolean(),
    missing: z.array(z.string()),
    parties: z.array(PartySignOff),
  }),
  inForce: z.object({ hash: z.string(), since: z.string(), number: z.number().int() }).nullable(),
});
export type FrameworkOverview = z.infer<typeof FrameworkOverview>;

/*
 * The document and the diff are large and their exact schemas live in core (model.ts, diff.ts). The web
 * app imports only their types, so here the answer is checked for the shape the pages walk through
 * (process, parties, chapters → articles → clauses; summary and clause changes) and then typed.
 */
const Localised = z.record(z.string(), z.string());
const DocumentShape = z.looseObject({
  process: z.looseObject({ id: z.string(), title: Localised, languages: z.array(z.string()).min(1) }),
  parties: z.array(z.looseObject({ id: z.string(), name: Localised })),
  definitions: z.array(z.looseObject({ id: z.string(), term: Localised, text: Localised })),
  chapters: z.array(
    z.looseObject({
      id: z.string(),
      title: Localised,
      articles: z.array(
        z.looseObject({
          id: z.string(),
          title: Localised,
          clauses: z.array(
            z.looseObject({
              id: z.string(),
              status: z.string(),
              text: Localised,
              untranslated: z.array(z.string()),
              alternatives: z.array(z.looseObject({ id: z.string(), proposedBy: z.array(z.string()), text: Localised })),
            }),
          ),
        }),
      ),
    }),
  ),
});

export const FrameworkVersionDocument = z.object({
  version: FrameworkVersionSummary,
  document: DocumentShape.transform((d) => d as unknown as FrameworkDocument),
});
export type FrameworkVersionDocument = z.infer<typeof FrameworkVersionDocument>;

const DiffShape = z.looseObject({
  before: z.string(),
  after: z.string(),
  identical: z.boolean(),
  summary: z.object({ added: z.number(), removed: z.number(), moved: z.number(), changed: z.number() }),
  clauses: z.array(
    z.looseObject({
      clause: z.string(),
      change: z.enum(['added', 'removed', 'moved', 'changed']),
      prose: z.array(z.looseObject({ language: z.string(), words: z.array(z.object({ op: z.string(), text: z.string() })) })),
      alternatives: z.array(z.looseObject({ id: z.string(), change: z.string() })),
      part: z.array(z.looseObject({ path: z.string() })),
    }),
  ),
  document: z.array(z.looseObject({ path: z.string() })),
  warnings: z.array(z.string()),
});
export const FrameworkDiff = DiffShape.transform((d) => d as unknown as FrameworkDiffValue);
export type FrameworkDiff = FrameworkDiffValue;

const SignatureRecorded = z.object({ position: z.number().int(), hash: z.string() });
export type SignatureRecorded = z.infer<typeof SignatureRecorded>;

export function getFramework(api: ApiClient): Promise<ApiResult<FrameworkOverview>> {
  return api.request('GET', '/api/v1/framework', FrameworkOverview);
}

export function getFrameworkVersion(api: ApiClient, number: number): Promise<ApiResult<FrameworkVersionDocument>> {
  return api.request('GET', `/api/v1/framework/versions/${number}`, FrameworkVersionDocument);
}

export function getFrameworkDiff(api: ApiClient, from: number, to: number): Promise<ApiResult<FrameworkDiff>> {
  return api.request('GET', `/api/v1/framework/diff?from=${from}&to=${to}`, FrameworkDiff);
}

/** Signs a version by its hash, for the signer's own party. A hash that is not current is refused (422) naming both. */
export function signFramework(api: ApiClient, hash: string, idempotencyKey: string): Promise<ApiResult<SignatureRecorded>> {
  return api.request('POST', '/api/v1/framework/signatures', SignatureRecorded, { hash }, { idempotencyKey });
}

export const FRAMEWORK_EXPORT_FORMATS = ['md', 'docx', 'akn'] as const;
export type FrameworkExportFormat = (typeof FRAMEWORK_EXPORT_FORMATS)[number];

/** A download address for a version; `languages` (one, or two side by side) applies to Markdown and DOCX. */
export function frameworkExportUrl(number: number, format: FrameworkExportFormat, languages?: readonly string[]): string {
  const query = new URLSearchParams({ format });
  if (languages && languages.length > 0 && format !== 'akn') query.set('languages', languages.join(','));
  return `/api/v1/framework/versions/${number}/export?${query.toString()}`;
}

// --- guarantees --------------------------------------------------------------------------------
// The coverage report and escalations are built by core (coverage.ts, ladder.ts, trigger.ts); the
// answer is checked for the fields the pages read, then typed as core's value.

type CoverageReportValue = import('../core/guarantees/coverage').CoverageReport;
type EscalationValue = import('../core/guarantees/ladder').Escalation;

const CoverageCellShape = z.looseObject({ breachType: z.string(), domain: z.string(), zone: z.string().nullable() });
const ResponderShape = z.looseObject({ party: z.string(), commitment: z.string(), clause: z.string() });
const CoverageShape = z.looseObject({
  variants: z.looseObject({
    branching: z.array(z.looseObject({ clause: z.string() })),
    variants: z.array(z.looseObject({ label: z.string() })),
  }),
  findings: z.array(
    z.looseObject({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      clauses: z.array(z.string()),
      cells: z.array(CoverageCellShape),
      variants: z.array(z.string()),
      condition: z.string().nullable(),
    }),
  ),
  matrices: z.array(
    z.looseObject({
      variant: z.string(),
      cells: z.array(CoverageCellShape.extend({ leads: z.array(ResponderShape), backups: z.array(ResponderShape) })),
    }),
  ),
  blocking: z.boolean(),
});
/** The report itself, or the report under `coverage` / `report` beside the version it is for. */
export const CoverageAnswer = z
  .union([CoverageShape, z.looseObject({ coverage: CoverageShape }), z.looseObject({ report: CoverageShape })])
  .transform((a) => ('coverage' in a ? a.coverage : 'report' in a ? a.report : a) as unknown as CoverageReportValue);

export function getCoverage(api: ApiClient, version: number): Promise<ApiResult<CoverageReportValue>> {
  return api.request('GET', `/api/v1/guarantees/coverage?version=${version}`, CoverageAnswer);
}

const RungShape = z.looseObject({
  index: z.number().int(),
  id: z.string(),
  action: z.string(),
  ownerParties: z.array(z.string()),
  state: z.string(),
  openedAt: z.string(),
  openedBecause: z.string(),
  deadline: z.string().nullable(),
});
export const EscalationShape = z
  .looseObject({
    id: z.string(),
    version: z.number().int(),
    status: z.string(),
    rungs: z.array(RungShape),
    evidence: z.array(z.string()),
    opening: z.looseObject({
      id: z.string(),
      commitment: z.string(),
      clause: z.string(),
      domain: z.string(),
      against: z.string(),
      openedAt: z.string(),
      rule: z.looseObject({ text: z.string() }),
      evidence: z.array(z.looseObject({ id: z.string(), type: z.string(), severity: z.number() })),
      ladder: z.array(z.looseObject({ index: z.number().int(), action: z.string(), ownerParties: z.array(z.string()) })),
      explanation: z.string(),
    }),
  })
  .transform((e) => e as unknown as EscalationValue);
export type EscalationView = EscalationValue;

export function listEscalations(api: ApiClient): Promise<ApiResult<readonly EscalationValue[]>> {
  return api.request(
    'GET',
    '/api/v1/guarantees/escalations',
    z.union([z.array(EscalationShape), z.looseObject({ escalations: z.array(EscalationShape) }).transform((a) => a.escalations)]),
  );
}

export function getEscalation(api: ApiClient, id: string): Promise<ApiResult<EscalationValue>> {
  return api.request(
    'GET',
    `/api/v1/guarantees/escalations/${encodeURIComponent(id)}`,
    z.union([EscalationShape, z.looseObject({ escalation: EscalationShape }).transform((a) => a.escalation)]),
  );
}

export type EscalationAction =
  | { readonly type: 'acknowledge'; readonly note?: string }
  | { readonly type: 'decide'; readonly decision: 'act' | 'not-act'; readonly note?: string }
  | { readonly type: 'respond'; readonly note: string; readonly handOn?: boolean };

/** Acknowledge, decide or respond on the escalation's current rung, for the signed-in user's party. */
/** `version`: the escalation version the owner decided on; a stale one is refused (409) rather than acting on a rung that moved. */
export function actOnEscalation(
  api: ApiClient,
  id: string,
  version: number,
  action: EscalationAction,
  idempotencyKey: string,
): Promise<ApiResult<unknown>> {
  const { type, ...body } = action;
  return api.request(
    'POST',
    `/api/v1/guarantees/escalations/${encodeURIComponent(id)}/${type}`,
    z.unknown(),
    { ...body, version },
    { idempotencyKey },
  );
}
