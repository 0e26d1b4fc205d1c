import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithBrowser,
  ensureWebBuilt,
  getJson,
  launchBrowser,
  postAs,
  SCREENSHOTS,
  screenshot,
  signIn,
  signInOverHttp,
  startServer,
  watchPageErrors,
  type ApiSession,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * The log every party can check, from a party's browser: the demo ends with one signed tree head; the
 * monitor sees it with its signature checked in the browser, proves an event it may read is in the
 * signed tree (the root recomputed with Web Crypto), sees a second head checked against the first
 * automatically, and is warned loudly when a head it kept does not fit the journal's history.
 */

interface Head {
  size: number;
  root: string;
  issuedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

async function shoot(part: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describeWithBrowser('audit: signed tree heads and proofs checked in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let monitor: ApiSession;
  let errors: string[] = [];
  let first: Head;
  /** The newest event the monitor may read that the demo's head covers. */
  let readable: number;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    monitor = await signInOverHttp(server.url, 'monitor');
    first = (await getJson(server.url, '/api/v1/journal/tree-head')) as Head;
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchPageErrors(page);
    await signIn(page, server.url, 'monitor', { open: '#/audit' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the demo’s signed head, its signature verified by the browser', async () => {
    expect(first.size).toBeGreaterThan(100);
    const card = page.getByTestId('tree-head');
    await page.locator('[data-testid="tree-head"][data-signature="valid"]').waitFor({ timeout: 20_000 });
    const text = await card.innerText();
    expect(text).toContain(first.root);
    expect(text).toContain(first.keyId);
    expect(text).toContain(first.size.toLocaleString('en-GB'));
    expect(text).toContain('Signature checked in this browser (Ed25519)');
  });

  it('proves an event the monitor may read is in the signed tree (green)', async () => {
    // The newest event the monitor may read that the head covers.
    const page1 = (await getJson(server.url, `/api/v1/journal?order=desc&after=${first.size + 1}&limit=1`, monitor)) as {
      events: { position: number; hash: string }[];
    };
    const position = page1.events[0]!.position;
    readable = position;
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Check an event' }) });
    await form.getByLabel('Journal position').fill(String(position));
    await form.getByRole('button', { name: 'Check inclusion' }).click();
    const result = page.getByTestId('inclusion-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-outcome')).toBe('included');
    expect(await result.innerText()).toContain(`Event ${position} is in the signed tree of ${first.size} events.`);
    expect(await result.innerText()).toContain(page1.events[0]!.hash.slice(0, 16));
    await shoot(page.locator('.tree-log'), 'audit-tree-01-head-and-inclusion');
    await screenshot(page, 'audit-tree-00-page');
  });

  it('says clearly when a position is out of range, and when the event is not one the monitor may read', async () => {
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Check an event' }) });
    await form.getByLabel('Journal position').fill('0');
    await form.getByRole('button', { name: 'Check inclusion' }).click();
    await form.getByText(`Give a journal position from 1 to ${first.size}.`).waitFor();
    expect(await form.getByLabel('Journal position').getAttribute('aria-invalid')).toBe('true');

    // A gap in the positions the monitor may list is an event it may not read: no proof for it.
    const visible = (await getJson(server.url, '/api/v1/journal?after=0&limit=500', monitor)) as { events: { position: number }[] };
    const hidden = visible.events.find((e, i) => i > 0 && e.position !== visible.events[i - 1]!.position + 1)!.position - 1;
    await form.getByLabel('Journal position').fill(String(hidden));
    await form.getByRole('button', { name: 'Check inclusion' }).click();
    const refused = form.locator('.tree-result[data-outcome="problem"]');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.innerText()).toContain(`no event at position ${hidden} that you may read`);
  });

  it('checks an event from its row in the journal table', async () => {
    const row = page.locator(`.journal-table tr[data-position="${readable}"]`);
    await row.locator('button.disclosure').click();
    await page.getByRole('button', { name: 'Check it is in the signed tree' }).click();
    const result = page.getByTestId('inclusion-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toContain(`Event ${readable} is in the signed tree of ${first.size} events.`);
    expect(await page.getByLabel('Journal position').inputValue()).toBe(String(readable));
    await row.locator('button.disclosure').click();
  });

  it('checks a newly signed head against the one it kept, live and on demand', async () => {
    const admin = await signInOverHttp(server.url, 'admin');
    const signed = await postAs(server.url, admin, '/api/v1/journal/tree-head', {});
    expect(signed.status).toBe(201);
    const second = signed.body as Head;
    expect(second.size).toBeGreaterThan(first.size);
    // The head arrives on the live stream; the page checks it against the head it kept before.
    await page.getByText(`(${first.size} → ${second.size} events)`).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('tree-head').innerText()).toContain(second.root);

    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Check consistency' }) });
    await form.getByRole('button', { name: 'Check consistency' }).click();
    const result = page.getByTestId('consistency-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toContain(`the head of ${first.size} events is a prefix of the head of ${second.size}`);
    await shoot(page.locator('.tree-log'), 'audit-tree-02-consistent');
    const kept = await page.evaluate(() => localStorage.getItem('entente.audit.seen-heads.v1'));
    expect((JSON.parse(kept!) as Head[]).map((h) => h.size)).toEqual([first.size, second.size]);
  });

  it('warns loudly when a head this browser kept does not fit the journal’s history', async () => {
    // As if a node had shown this browser another history earlier: the same size, another root.
    const forged = { ...first, size: first.size - 3, root: 'ab'.repeat(32), issuedAt: '2026-11-26T09:00:00.000Z' };
    await page.evaluate(
      ([key, head]) => {
        const kept = JSON.parse(localStorage.getItem(key as string) ?? '[]') as unknown[];
        localStorage.setItem(key as string, JSON.stringify([...kept, head]));
      },
      ['entente.audit.seen-heads.v1', forged] as const,
    );
    await page.reload();
    // On load the page proves every kept head the node no longer lists against its latest head.
    const banner = page.locator('.tree-log > [data-testid="history-rewritten"]');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toContain(`of ${forged.size} events (root abababababab…) is NOT a prefix`);
    await banner.scrollIntoViewIfNeeded();
    await screenshot(page, 'audit-tree-03-rewritten-on-load');
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Check consistency' }) });
    await form.getByLabel('Older head').waitFor({ timeout: 30_000 });
    const option = await form.getByLabel('Older head').locator('option').first().getAttribute('value');
    expect(option).toBe(`${forged.size}:${forged.root}`);
    await form.getByLabel('Older head').selectOption(option!);
    await form.getByRole('button', { name: 'Check consistency' }).click();
    const alarm = form.getByTestId('history-rewritten');
    await alarm.waitFor({ timeout: 15_000 });
    expect(await alarm.innerText()).toContain('HISTORY WAS REWRITTEN');
    expect(await alarm.innerText()).toContain(`of ${forged.size} events (root abababababab…) is NOT a prefix`);
    await shoot(form, 'audit-tree-03-rewritten');
  });

  it('speaks Ukrainian', async () => {
    await page.getByRole('button', { name: 'Українська' }).click();
    await page.getByRole('heading', { name: 'Журнал, який може перевірити кожна сторона' }).waitFor();
    await page.getByText('Підпис перевірено в цьому браузері (Ed25519)').waitFor();
    await shoot(page.locator('.tree-log'), 'audit-tree-04-ukrainian');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('an admin signs a head from the page; the monitor’s open page checks it too', async () => {
    const before = (await getJson(server.url, '/api/v1/journal/tree-head')) as Head;
    const adminBrowser = await launchBrowser();
    try {
      const admin = await adminBrowser.newPage();
      const adminErrors = watchPageErrors(admin);
      await signIn(admin, server.url, 'admin', { open: '#/audit' });
      await admin.locator('[data-testid="tree-head"][data-signature="valid"]').waitFor({ timeout: 20_000 });
      await admin.getByRole('button', { name: 'Sign a head now' }).click();
      await expect
        .poll(async () => ((await getJson(server.url, '/api/v1/journal/tree-head')) as Head).size, { timeout: 15_000 })
        .toBeGreaterThan(before.size);
      const now = (await getJson(server.url, '/api/v1/journal/tree-head')) as Head;
      await admin.getByTestId('tree-head').getByText(now.root).waitFor({ timeout: 15_000 });
      expect(adminErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
      // The monitor's page (in its own browser) took the new head from the live stream and proved the
      // heads it kept against it: the forged one still does not fit, and the warning now names the new head.
      await page.getByTestId('tree-head').getByText(now.root).waitFor({ timeout: 15_000 });
      const banner = page.locator('.tree-log > [data-testid="history-rewritten"]');
      await banner.getByText(`is NOT a prefix of the head of ${now.size} events`).waitFor({ timeout: 15_000 });
    } finally {
      await adminBrowser.close();
    }
  });

  it('reported no errors in the page', () => {
    // The session probe before signing in answers 401, the refused proof 404: both by design.
    expect(errors.filter((e) => !/status of (401|404)/.test(e))).toEqual([]);
  });
});
