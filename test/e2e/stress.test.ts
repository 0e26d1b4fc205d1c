import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithBrowser,
  ensureWebBuilt,
  SCREENSHOTS,
  screenshot,
  startServer,
  openSignedIn,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * The stress test as negotiators use it: the demo's comparison of the sea clause's alternatives is on
 * the clause in the negotiating workspace; a delegate launches the reheating scenario against both
 * alternatives on the stress page, watches it run, reads where alternative B breaks (the corridor's
 * buffer without a responder), and attaches the comparison to the clause — where another delegation,
 * with the clause open, sees it arrive without reloading.
 */

const CLAUSE = 'c-commit-sea';

async function openSeaClause(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/#/negotiation`);
  await page.getByTestId('gap-map').waitFor();
  await page
    .getByRole('button', { name: `Open clause ${CLAUSE}` })
    .first()
    .click();
  await page.getByTestId('clause-comparison').waitFor();
}

describeWithBrowser('stress test: run, compare, attach to the clause', () => {
  let server: RunningServer;
  const browsers: Browser[] = [];
  let ua: Page;
  let ru: Page;
  const errors: string[][] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    const open = (username: string) =>
      openSignedIn({ browsers, errors }, server.url, username, { viewport: { width: 1400, height: 1000 } });
    ua = await open('ua-delegate');
    ru = await open('ru-delegate');
  }, 120_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  it("shows the demo's comparison on the sea clause in the negotiating workspace", async () => {
    await openSeaClause(ru, server.url);
    const evidence = ru.getByTestId('clause-comparison');
    await expect.poll(() => evidence.innerText(), { timeout: 10_000 }).toMatch(/Under alternative B, .* coverage gap/);
    expect(await evidence.locator('.st-clause-item').count()).toBe(1);
    expect(await evidence.locator('th[data-alternative="c-commit-sea-b"]').count()).toBe(1);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await evidence.screenshot({ path: join(SCREENSHOTS, 'stress-01-clause-evidence.png') });
  });

  it('launches a comparison, shows progress and the planted gap under alternative B', async () => {
    await ua.goto(`${server.url}/#/stress-test`);
    await ua.getByLabel('Scenario', { exact: true }).selectOption('reheating');
    await ua.getByLabel('Runs').fill('12');
    await ua.getByLabel('Seed').fill('7');
    await ua.getByLabel('Compare the alternatives of').selectOption(CLAUSE);
    await ua.getByRole('button', { name: 'Run', exact: true }).click();
    await ua.getByTestId('stress-progress').waitFor();
    await expect.poll(() => ua.getByTestId('stress-state').innerText(), { timeout: 90_000, interval: 500 }).toBe('Done');
    const results = ua.getByTestId('stress-result');
    expect(await results.count()).toBe(2);
    expect(await results.nth(0).getByTestId('stress-gaps').count()).toBe(0);
    expect(await results.nth(1).getByTestId('stress-gaps').innerText()).toContain('corridor-buffer');
    expect(await ua.getByTestId('stress-comparison').innerText()).toMatch(/Under alternative B, .* coverage gap .*none under A/);
    // Reheating keeps restarting the ceasefire counts: the EU's first tranche never unlocks in 90 days.
    expect(await results.nth(0).getByTestId('stress-tranche-eu-zp-substation-1').innerText()).toContain('never within the scenario');
    expect(await ua.getByTestId('stress-comparison').innerText()).toContain('money unlocked, mean a run (EUR)');
    await screenshot(ua, 'stress-02-comparison', true);
  });

  it('attaches the comparison to the clause: another delegation sees it arrive live', async () => {
    await ua.getByRole('button', { name: 'Attach to the clause' }).click();
    await ua.getByText('Attached to the clause').waitFor();
    const evidence = ru.getByTestId('clause-comparison');
    await expect.poll(() => evidence.locator('.st-clause-item').count(), { timeout: 10_000 }).toBe(2);
    expect(await evidence.innerText()).toContain('12 runs of “A reheating ceasefire”, seed 7');
    await screenshot(ru, 'stress-03-clause-live', true);
  });

  it('shows the days held and the money that unlocks in the quiet ceasefire', async () => {
    await ua.goto(`${server.url}/#/stress-test`);
    await ua.getByLabel('Scenario', { exact: true }).selectOption('quiet');
    // The previous comparison is still on the page: its charts' labels also speak of runs.
    await ua.getByLabel('Runs', { exact: true }).fill('12');
    await ua.getByLabel('Seed', { exact: true }).fill('7');
    await ua.getByLabel('Compare the alternatives of').selectOption('');
    await ua.getByRole('button', { name: 'Run', exact: true }).click();
    // Until the new run is done, the page may still show the comparison before it: wait for one result.
    await expect
      .poll(async () => `${await ua.getByTestId('stress-state').innerText()} ${await ua.getByTestId('stress-result').count()}`, {
        timeout: 90_000,
        interval: 500,
      })
      .toBe('Done 1');
    const card = await ua.getByTestId('stress-money-card').innerText();
    expect(card).toMatch(/EUR [1-9][\d,]*\.\d\d/);
    const first = await ua.getByTestId('stress-tranche-eu-zp-substation-1').innerText();
    expect(first).toMatch(/unlocks in [1-9][\d.]*% of runs · day \d+/);
    expect(await ua.getByTestId('stress-tranche-eu-zp-substation-2').innerText()).toContain('never within the scenario');
    await ua.getByTestId('stress-money').scrollIntoViewIfNeeded();
    await ua.getByTestId('stress-money').screenshot({ path: join(SCREENSHOTS, 'stress-04-money.png') });
  });

  it('refuses a broken scenario with its line and column, on the page', async () => {
    await ua.goto(`${server.url}/#/stress-test`);
    await ua.getByLabel('Scenario', { exact: true }).selectOption('quiet');
    await ua.getByText('Scenario (YAML)').click();
    const yaml = ua.getByLabel('Scenario (YAML)');
    const text = await yaml.inputValue();
    await yaml.fill(text.replace('perDay: 0.6', 'perDay: -3'));
    await ua.getByRole('button', { name: 'Run', exact: true }).click();
    const line = text.split('\n').findIndex((l) => l.includes('perDay: 0.6')) + 1;
    await expect
      .poll(() => ua.getByRole('alert').innerText(), { timeout: 10_000 })
      .toMatch(new RegExp(`scenario\\.yaml:${line}:\\d+: .*negative`));
    // The refused request logs its 400 in the console, and the sign-in page its 401s: only script errors count.
    expect(errors.flat().filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
