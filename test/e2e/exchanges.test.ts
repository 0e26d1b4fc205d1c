import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  startServer,
  openSignedIn,
  signIn,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * A tranche from builder to handover, as the intermediary and both information bureaus run it, each
 * in their own browser: the builder refuses an unbalanced selection with what is missing, then
 * proposes a balanced one; the intermediary verifies (one person refuses and leaves), stages and
 * attests; each bureau's attestation reaches the intermediary live; the tranche is confirmed. The
 * reconciliation lists the demo's discrepancies; a bureau opens its own sealed identity and gets a
 * CSV's problems by line and column; the mediator sees counts only, "<5" for small ones.
 */

const TITLE = 'E2E tranche';

/** Signs in and opens the exchanges page. */
function openExchanges(page: Page, url: string, username: string): Promise<void> {
  return signIn(page, url, username, { open: '#/exchanges', ready: (p) => p.getByRole('heading', { name: 'Exchanges', level: 1 }) });
}

describeWithBrowser('exchanges: tranche builder, reconciliation, handover checklist', () => {
  let server: RunningServer;
  const browsers: Browser[] = [];
  const errors: string[][] = [];
  let tr: Page;
  let ua: Page;
  let ru: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    const open = (username: string) =>
      openSignedIn({ browsers, errors }, server.url, username, {
        open: '#/exchanges',
        ready: (p) => p.getByRole('heading', { name: 'Exchanges', level: 1 }),
      });
    tr = await open('intermediary');
    ua = await open('ua-bureau');
    ru = await open('ru-bureau');
  }, 180_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  const card = (page: Page) => page.getByTestId(`tranche-${TITLE}`);

  it('the builder checks the formula as persons are chosen and refuses to propose an unbalanced tranche', async () => {
    const check = tr.getByTestId('formula-check');
    await tr.getByRole('group', { name: 'Released by Ukraine' }).getByRole('button', { name: 'Take 5' }).click();
    await expect.poll(() => check.innerText(), { timeout: 10_000 }).toContain('parity 1:1 needs 5 more persons from ru');
    await tr.getByLabel('Title').fill(TITLE);
    await tr.getByRole('button', { name: 'Propose tranche' }).click();
    await expect
      .poll(() => tr.getByRole('alert').allInnerTexts(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining('does not meet formula exchange-main'));
    await screenshot(tr, 'exchanges-01-builder-refuses', true);

    await tr.getByRole('group', { name: 'Released by Russian Federation' }).getByRole('button', { name: 'Take 5' }).click();
    await expect.poll(() => check.innerText(), { timeout: 10_000 }).toContain('Meets the formula');
    await tr.getByRole('button', { name: 'Propose tranche' }).click();
    await card(tr).waitFor({ timeout: 10_000 });
    // the bureaus see the new tranche live
    await card(ua).waitFor({ timeout: 10_000 });
    await card(ru).waitFor({ timeout: 10_000 });
  });

  it('the reconciliation lists the typed discrepancies', async () => {
    const table = tr.getByTestId('discrepancies');
    const text = await table.innerText();
    for (const kind of ['Requested, not declared held', 'Declared held twice', 'Reported dead', 'Handover counts differ'])
      expect(text).toContain(kind);
    // a bureau sees only what concerns its own records
    const uaText = await ua.getByTestId('discrepancies').innerText();
    expect(uaText).toContain('Requested, not declared held');
    expect(uaText).not.toContain('Declared held twice');
    await tr.getByRole('heading', { name: 'Reconciliation' }).scrollIntoViewIfNeeded();
    await screenshot(tr, 'exchanges-02-reconciliation');
  });

  it('runs the handover checklist: a refusal removes the person, three attestations, confirmation', async () => {
    const rows = card(tr).locator('tr[data-person]');
    const count = await rows.count();
    expect(count).toBe(10);
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      await row.getByRole('button', { name: i === 0 ? 'Refuses repatriation' : 'Verified, consents' }).click();
      await expect.poll(() => row.innerText(), { timeout: 10_000 }).toMatch(i === 0 ? /refused — removed/ : /verified/);
    }
    // one person fewer from one side: the check shows the tranche is now unbalanced, nobody is sent back
    await expect.poll(() => card(tr).innerText(), { timeout: 10_000 }).toContain('parity 1:1 needs 1 more person from');
    await card(tr).getByRole('button', { name: 'Stage all verified' }).click();
    await card(tr).getByRole('button', { name: 'Attest handover counts' }).waitFor({ timeout: 10_000 });
    await screenshot(tr, 'exchanges-03-handover-checklist', true);
    await card(tr).getByRole('button', { name: 'Attest handover counts' }).click();
    await expect.poll(() => card(tr).innerText(), { timeout: 10_000 }).toContain('waiting for Ukraine, Russian Federation');
    for (const page of [ua, ru]) {
      await card(page).getByRole('button', { name: 'Attest handover counts' }).click({ timeout: 10_000 });
    }
    // the bureaus' attestations reach the intermediary live: the tranche is handed over and can be confirmed
    const confirm = card(tr).getByRole('button', { name: 'Confirm tranche completed' });
    await confirm.waitFor({ timeout: 10_000 });
    await confirm.click();
    await expect.poll(() => card(tr).innerText(), { timeout: 10_000 }).toContain('completed');
    await expect.poll(() => card(ua).innerText(), { timeout: 10_000 }).toContain('completed');
    await screenshot(tr, 'exchanges-04-completed', true);
    // The session probe before signing in answers 401 by design; the refused proposal above answered 422.
    expect(errors.flat().filter((e) => !/status of (401|422)/.test(e))).toEqual([]);
  });

  it('a bureau opens its own sealed identity and gets CSV problems by line and column', async () => {
    await ru.getByRole('heading', { name: 'Our lists' }).scrollIntoViewIfNeeded();
    const first = ru.locator('section[aria-labelledby="ex-lists"] tr[data-person]').first();
    await first.getByRole('button', { name: 'Open identity' }).click();
    await expect.poll(() => first.getByTestId('identity').innerText(), { timeout: 10_000 }).toMatch(/[А-Яа-яЁё]/);
    await ru
      .getByLabel('Import a list (CSV)')
      .fill(
        'familyName,givenName,dateOfBirth,category,homeState\nКоваленко,Іван,31.02.1990,prisoner-of-war,ua\nШевченко,Петро,1990-01-01,soldier,ua',
      );
    await ru.getByRole('button', { name: 'Import' }).click();
    const problems = await ru.getByTestId('csv-problems').innerText();
    expect(problems).toContain('line 2, column 3: not a date we can read');
    expect(problems).toContain('line 3, column 4: must be one of prisoner-of-war, civilian-detainee');
    await screenshot(ru, 'exchanges-05-bureau-lists', true);
  });

  it('the mediator sees aggregates only, with "<5" for small counts; the observer the published counts', { timeout: 180_000 }, async () => {
    const browser = await launchBrowser();
    browsers.push(browser);
    const mediator = await browser.newPage();
    await openExchanges(mediator, server.url, 'mediator');
    const overview = mediator.getByRole('heading', { name: 'At a glance' });
    await overview.waitFor({ timeout: 10_000 });
    const text = await mediator.locator('.ex-page').innerText();
    expect(text).toContain('<5');
    expect(text).not.toContain('Tranche builder');
    expect(await mediator.locator('code').count()).toBe(0);
    await screenshot(mediator, 'exchanges-06-mediator-aggregates', true);

    const other = await launchBrowser();
    browsers.push(other);
    const observer = await other.newPage();
    await openExchanges(observer, server.url, 'observer');
    await observer.getByRole('heading', { name: 'Published exchanges' }).waitFor({ timeout: 10_000 });
    expect(await observer.locator('.ex-published').innerText()).toContain('Tranche 1');
  });
});
