/*
 * Browser-test harness: Debian's Chromium driven by playwright-core (no browser download), a real
 * `entente serve` child process on a fresh data directory, and the built web app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { CHROMIUM, ROOT } from './build';

export { CHROMIUM, ROOT };
export { ensureWebBuilt } from './build';
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
export const DEMO_PASSWORD = 'entente-demo-2026';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------------------------------------------------------------- Chromium

let skipNoticePrinted = false;

/**
 * `describe` for a browser suite. Without Chromium the suite is skipped with one clear line, unless
 * `CI` is set: there a missing browser is a failure, not a skip.
 */
export function describeWithBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, suite);
    return;
  }
  const message = `Chromium not found at ${CHROMIUM}: browser tests skipped; install it with apt-get install chromium`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${message.replace('browser tests skipped; ', '')} (CI is set, so this fails)`);
      });
    });
    return;
  }
  if (!skipNoticePrinted) {
    skipNoticePrinted = true;
    console.warn(message);
  }
  describe.skip(name, suite);
}

export interface Browser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium with a fresh profile in a temporary directory, removed on close. */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'entente-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1360, height: 900 },
    locale: options.locale ?? 'en-GB',
    timezoneId: 'Europe/Kyiv',
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects what a page reports as broken (console errors, uncaught exceptions, CSP violations). */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

// ---------------------------------------------------------------- signing in through the page

export interface SignInOptions {
  /** Default: the demo users' password. */
  readonly password?: string;
  /** A route to open once signed in, e.g. `#/evidence`. */
  readonly open?: string;
  /** What shows that the opened route has rendered; waited for after `open`. */
  readonly ready?: (page: Page) => Locator;
}

/**
 * Signs in through the sign-in form as a person would, and waits for the signed-in shell. The form
 * gets a generous timeout: on a shared, loaded machine the first paint may take a while; if it never
 * shows, a screenshot of what did is kept for the failure.
 */
export async function signIn(page: Page, baseUrl: string, username: string, options: SignInOptions = {}): Promise<void> {
  await page.goto(baseUrl);
  await page
    .getByLabel('Username')
    .waitFor({ timeout: 60_000 })
    .catch(async (error: unknown) => {
      await screenshot(page, `failed-sign-in-${username}`).catch(() => undefined);
      throw error;
    });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(options.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('acting-for').waitFor();
  if (options.open === undefined) return;
  await page.goto(`${baseUrl}/${options.open}`);
  await options.ready?.(page).waitFor();
}

/** The browsers a suite opened (to close afterwards) and the errors each of their pages reported. */
export interface OpenedBrowsers {
  readonly browsers: Browser[];
  readonly errors: string[][];
}

/**
 * A page in a fresh browser of its own (so each person keeps their own session), signed in as
 * `username`: the browser joins `opened.browsers`, the page's errors join `opened.errors`.
 */
export async function openSignedIn(
  opened: OpenedBrowsers,
  baseUrl: string,
  username: string,
  options: SignInOptions & { viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const browser = await launchBrowser(options.viewport ? { viewport: options.viewport } : {});
  opened.browsers.push(browser);
  const page = await browser.newPage();
  opened.errors.push(watchPageErrors(page));
  await signIn(page, baseUrl, username, options);
  return page;
}

// ---------------------------------------------------------------- the server

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  /** What the server wrote so far, for failure messages. */
  output(): string;
  /** SIGTERM (SIGKILL after 10 s); the data directory is removed unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface ServerOptions {
  /** Reuse a data directory, to restart a server on the same journal; default: a fresh one. */
  readonly dataDir?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  readonly timeoutMs?: number;
}

/** Starts `entente serve --demo` (by default on a fresh data directory and a free port); resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'entente-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'entente.js'), 'serve', '--data', dataDir, '--demo', '--port', String(options.port ?? 0)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    },
  );
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not print its listening line within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`${error.message}\n--- server output ---\n${output}`));
    };
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = /Entente listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`the server exited early (code ${code}, signal ${signal})`)));
    child.once('error', (error) => fail(error));
  });
  child.removeAllListeners('exit');

  return {
    url,
    dataDir,
    output: () => output,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killTimer);
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- a second client, outside the browser

export interface ApiSession {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly user: { id: string; username: string; displayName: string; party: string | null; roles: string[] };
}

/** Signs in over HTTP as a browser would, keeping the cookie and the CSRF token. */
export async function signInOverHttp(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const response = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${username} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const body = (await response.json()) as { csrfToken: string; user: ApiSession['user'] };
  return { cookie, csrfToken: body.csrfToken, user: body.user };
}

/** An unsafe request with the session's cookie, CSRF token and a fresh idempotency key. */
export async function postAs(
  baseUrl: string,
  session: ApiSession,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Cookie: session.cookie,
      'X-CSRF-Token': session.csrfToken,
      'Idempotency-Key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function getJson(baseUrl: string, path: string, session?: ApiSession): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, { headers: session ? { Cookie: session.cookie } : {} });
  return response.json();
}
