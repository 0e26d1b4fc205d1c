import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithBrowser,
  ensureWebBuilt,
  getJson,
  launchBrowser,
  postAs,
  screenshot,
  signInOverHttp,
  startServer,
  watchPageErrors,
  signIn,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * Security guarantees as a mediator and a guarantor use them: the coverage heatmap of the current
 * version shows the example's planted gap (alternative B of the sea clause leaves the corridor's
 * buffer with nobody to respond at sea), the finding leads to its clause in the framework text, and
 * the escalation board shows every open clock counting down.
 */

const GAP_CELL = '[data-cell="sea|corridor-buffer|naval"]';

interface Coverage {
  matrices: { variant: string }[];
}
interface EscalationList {
  escalations: {
    id: string;
    status: string;
    commitment: string;
    evidence: string[];
    rungs: { openedBecause: string }[];
    clock: { deadline: string | null };
  }[];
}

/**
 * A real escalation, through operations: two observations of a drone over Kyiv (inside the air
 * policing area of commit-air) from two kinds of source, investigated, attributed with high confidence
 * and verified by the mechanism. The trigger engine then opens commit-air's escalation at its first rung.
 */
async function openAirEscalation(url: string): Promise<string> {
  const monitor = await signInOverHttp(url, 'monitor');
  const occurredAt = new Date(Date.now() - 10 * 60_000).toISOString();
  let caseId = '';
  for (const source of ['patrol-saw', 'sensor']) {
    const filed = await postAs(url, monitor, '/api/v1/reports', {
      occurredAt,
      location: { lon: 30.52, lat: 50.45 },
      domain: 'air',
      type: 'drone',
      source,
      narrative: 'Drone over Kyiv, e2e',
    });
    if (filed.status !== 201) throw new Error(`report not filed: ${JSON.stringify(filed.body)}`);
    caseId = (filed.body as { caseId: string }).caseId;
  }
  const version = async () => {
    const read = (await getJson(url, `/api/v1/cases/${caseId}`, monitor)) as { case?: { version: number }; version?: number };
    return read.case?.version ?? read.version!;
  };
  const steps: [string, Record<string, unknown>][] = [
    ['status', { to: 'under-investigation' }],
    ['findings', { attribution: { party: 'ru', confidence: 'high' }, summary: 'Drone attributed (e2e)', severity: 4 }],
    ['status', { to: 'verified' }],
  ];
  for (const [path, body] of steps) {
    const r = await postAs(url, monitor, `/api/v1/cases/${caseId}/${path}`, { version: await version(), ...body });
    if (r.status !== 201) throw new Error(`${path} refused: ${JSON.stringify(r.body)}`);
  }
  const mediator = await signInOverHttp(url, 'mediator');
  // The trigger reactor appends the opening after the verification: wait for it (a few seconds at most).
  for (let tries = 0; tries < 50; tries++) {
    const list = (await getJson(url, '/api/v1/guarantees/escalations', mediator)) as EscalationList;
    const opened = list.escalations.find((e) => e.commitment === 'commit-air' && e.evidence.includes(caseId));
    if (opened) return opened.id;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no escalation of commit-air with case ${caseId} opened within 10 s`);
}

describeWithBrowser('guarantees: coverage heatmap, escalation board, on the hook', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let variants: string[];
  let escalations: EscalationList;
  let airEscalation: string;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    const mediator = await signInOverHttp(server.url, 'mediator');
    variants = ((await getJson(server.url, '/api/v1/guarantees/coverage', mediator)) as Coverage).matrices.map((m) => m.variant);
    airEscalation = await openAirEscalation(server.url);
    escalations = (await getJson(server.url, '/api/v1/guarantees/escalations', mediator)) as EscalationList;
    browser = await launchBrowser();
    page = await browser.newPage();
    pageErrors = watchPageErrors(page);
    await signIn(page, server.url, 'mediator');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the heatmap of alternative B of the sea clause shows corridor-buffer × sea as a gap, and the gap among the findings', async () => {
    await page.goto(`${server.url}/#/guarantees`);
    await page.getByRole('heading', { level: 1, name: 'Guarantees' }).waitFor();
    const picker = page.getByLabel('Text (bracketed alternatives)');
    await picker.waitFor();
    const seaB = variants.find((v) => v.includes('c-commit-sea B'));
    const seaA = variants.find((v) => v.includes('c-commit-sea A'));
    expect(seaB, `variants: ${variants.join(' | ')}`).toBeDefined();

    // Until a text is picked, the first one that cannot be signed is shown.
    expect(await picker.inputValue()).toBe(variants.find((v) => v.includes('c-commit-sea B')));
    await picker.selectOption(seaA!);
    expect(await page.locator(GAP_CELL).getAttribute('data-status')).not.toBe('gap');
    expect(await page.locator('.gu-finding[data-code="gap"]').count()).toBe(0);

    await picker.selectOption(seaB!);
    expect(await page.locator(GAP_CELL).getAttribute('data-status')).toBe('gap');
    expect(await page.locator(GAP_CELL).innerText()).toContain('no responder');
    const gap = page.locator('.gu-finding[data-code="gap"]');
    expect(await gap.count()).toBe(1);
    expect(await gap.innerText()).toMatch(/corridor-buffer/);
    await screenshot(page, 'guarantees-01-heatmap-gap', true);
  });

  it('pointing at the finding lights its cells, and clicking it opens the framework at clause c-commit-sea', async () => {
    const gap = page.locator('.gu-finding[data-code="gap"]');
    await gap.getByRole('button', { name: 'Show its cells in the matrix' }).click();
    await page.mouse.move(0, 0);
    expect(await page.locator(`${GAP_CELL}.gu-lit`).count()).toBe(1);
    // Only the finding's cells light up, not the corridor's own cells (covered there, but with no backup).
    expect(await page.locator('[data-cell="sea|black-sea-corridor|naval"].gu-lit').count()).toBe(0);
    await screenshot(page, 'guarantees-02-finding-cells-lit');

    await gap.getByRole('link', { name: 'Open clause c-commit-sea in the framework' }).click();
    await page.waitForURL(/#\/framework\?.*clause=c-commit-sea/);
    await page.getByRole('heading', { level: 1, name: 'Framework' }).waitFor();
    // The framework brings the clause into view and marks it for a moment.
    const clause = page.locator('#fw-clause-c-commit-sea');
    await page.locator('#fw-clause-c-commit-sea.fw-clause-highlighted').waitFor({ timeout: 5_000 });
    const viewport = page.viewportSize()!;
    await expect
      .poll(async () => {
        const box = await clause.boundingBox();
        return box !== null && box.y >= 0 && box.y < viewport.height / 2;
      })
      .toBe(true);
    await screenshot(page, 'guarantees-03-framework-at-clause');
  });

  it('the escalation board shows the open escalation, its countdown ticking every second, and why it runs', async () => {
    await page.goto(`${server.url}/#/guarantees?view=escalations`);
    await page.getByRole('tab', { name: 'Escalations', selected: true }).waitFor();
    const open = escalations.escalations.filter((e) => e.status === 'open');
    const card = page.locator(`[data-escalation="${airEscalation}"]`);
    await card.waitFor();
    expect(await page.locator('.gu-escalations > .gu-escalation').count()).toBeGreaterThanOrEqual(open.length);
    const text = await card.innerText();
    expect(text).toMatch(/commit-air/);
    expect(text).toMatch(/Rung 1 of \d+: verify-and-attribute/);
    expect(text).toMatch(/one verified breach of type air-incursion, drone and missile/);
    const countdown = card.locator('[data-testid="countdown"] .gu-countdown-time');
    const before = await countdown.innerText();
    expect(before).toMatch(/^2[34]:\d\d:\d\d$/);
    await expect.poll(() => countdown.innerText(), { timeout: 3_000 }).not.toBe(before);
    await screenshot(page, 'guarantees-04-board');
  });

  it("the demo's escalation that climbed a rung shows the rung it is on, counting down, and the missed rung before it", async () => {
    const climbed = escalations.escalations.find((e) => e.status === 'open' && e.rungs.some((r) => r.openedBecause === 'deadline-missed'));
    expect(climbed, 'the demo seeds an escalation that climbed a rung').toBeDefined();
    const card = page.locator(`[data-escalation="${climbed!.id}"]`);
    await card.waitFor();
    expect(await card.locator('.gu-rung-title').innerText()).toMatch(/^Rung [2-9] of \d+: /);
    expect(await card.locator('.gu-history').innerText()).toMatch(/missed \(triggered/);
    const countdown = card.locator('[data-testid="countdown"] .gu-countdown-time');
    const before = await countdown.innerText();
    await expect.poll(() => countdown.innerText(), { timeout: 3_000 }).not.toBe(before);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'guarantees-04b-demo-climbed');
  });

  it("the rung's owner acknowledges it, and the mediator's board shows it within a second", async () => {
    const other = await launchBrowser();
    const owner = await other.newPage();
    await signIn(owner, server.url, 'monitor');
    await owner.goto(`${server.url}/#/guarantees?view=escalations`);
    const card = owner.locator(`[data-escalation="${airEscalation}"]`);
    await card.getByText('Your party owns this rung').waitFor();
    await card.getByLabel('Note').fill('Mechanism on it');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await card.getByRole('button', { name: 'Decide: act' }).waitFor();
    await screenshot(owner, 'guarantees-05-owner-acknowledged');
    await other.close();

    const mediatorCard = page.locator(`[data-escalation="${airEscalation}"]`);
    await expect.poll(() => mediatorCard.innerText(), { timeout: 2_000 }).toMatch(/acknowledged/);
    // The mediator does not own the rung: no actions for it.
    expect(await mediatorCard.getByRole('button', { name: 'Decide: act' }).count()).toBe(0);
  });

  it('a guarantor sees what its party is on the hook for', async () => {
    // Another browser: the mediator's session cookie is not the guarantor's.
    const other = await launchBrowser();
    const guarantor = await other.newPage();
    await signIn(guarantor, server.url, 'us-guarantor');
    await guarantor.goto(`${server.url}/#/guarantees?view=hook`);
    const item = guarantor.locator('[data-commitment="commit-air"]');
    await item.waitFor();
    expect(await item.innerText()).toMatch(/guarantor/);
    await screenshot(guarantor, 'guarantees-06-on-the-hook-us');
    await other.close();
  });

  it('reads in Ukrainian: the views, the gap and its finding', async () => {
    await page.goto(`${server.url}/#/guarantees`);
    await page.getByRole('button', { name: 'Українська' }).click();
    await page.getByRole('tab', { name: 'Покриття', selected: true }).waitFor();
    const seaB = variants.find((v) => v.includes('c-commit-sea B'))!;
    await page.getByLabel('Текст (альтернативи в дужках)').selectOption(seaB);
    expect(await page.locator(GAP_CELL).innerText()).toContain('ніхто не реагує');
    expect(await page.locator('.gu-finding[data-code="gap"]').innerText()).toContain('Прогалина');
    await screenshot(page, 'guarantees-07-ukrainian');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('tab', { name: 'Coverage', selected: true }).waitFor();
  });

  it('fits a phone: the matrix scrolls inside its own box, the page does not scroll sideways', async () => {
    const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
    const small = await phone.newPage();
    await signIn(small, server.url, 'mediator');
    await small.goto(`${server.url}/#/guarantees`);
    await small.locator(GAP_CELL).waitFor();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(small, 'guarantees-08-phone', true);
    await phone.close();
  });

  it('reports no browser errors', () => {
    // The session probe before signing in answers 401 by design.
    expect(
      pageErrors.filter((e) => !/status of 401/.test(e)),
      pageErrors.join('\n'),
    ).toEqual([]);
  });
});
