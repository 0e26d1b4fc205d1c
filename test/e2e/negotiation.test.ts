import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithBrowser,
  ensureWebBuilt,
  getJson,
  SCREENSHOTS,
  screenshot,
  signInOverHttp,
  startServer,
  openSignedIn,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * The negotiating workspace as three people use it at once, each in their own browser: the Ukrainian
 * delegation (A) records a private position, the Russian delegation (B) cannot see it, a block A
 * shares with the mediator reaches the mediator's gap map and zone of possible agreement live (no
 * reload), and B's public position reaches them too. The demo seeds earlier rounds: B's and the mediator's
 * view of A before A acts is the baseline that must not move.
 */

const CLAUSE = 'c-ceasefire-start';
const ALT_A = 'c-ceasefire-start-a';
const ALT_B = 'c-ceasefire-start-b';
const PRIVATE_REASON = 'UA private: sequencing before verification is unacceptable';
const MEDIATOR_REASON = 'UA to mediator: A works if monitors are in place';
const RED_LINE = 'No start before monitors are deployed';
const RU_REASON = 'RU: A is acceptable with the annex';
const cell = (party: string) => `[data-cell="${CLAUSE}|${party}"]`;
const AMENDED = 'c-ceasefire-scope';
const AMENDMENT =
  'The ceasefire applies on land, at sea, in the air, in cyberspace and in outer space, including strikes by missiles and unmanned aerial vehicles.';
const AMENDMENT_UK =
  'Припинення вогню застосовується на суші, на морі, у повітрі, в кіберпросторі та в космічному просторі, зокрема щодо ударів ракетами та безпілотними літальними апаратами.';
const PRIVATE_COMMENT = 'UA internal: do not concede the cyber wording';
const PUBLIC_COMMENT = 'UA: we ask all delegations to support the space wording';

/** One part of the page, at readable size (a full page of the 36-clause map is too tall to judge). */
async function shoot(part: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

async function openClause(page: Page, clause = CLAUSE): Promise<void> {
  await page
    .getByRole('button', { name: `Open clause ${clause}` })
    .first()
    .click();
  await page
    .locator(`[data-testid="clause-detail"]`)
    .getByRole('heading', { name: `Clause ${clause}`, exact: true })
    .waitFor();
}

async function record(
  page: Page,
  p: { alternative: string; gradient: string; reason: string; redLine?: string; sharing: string },
): Promise<void> {
  const form = page.getByTestId('position-form');
  await form.getByLabel('On', { exact: true }).selectOption(p.alternative);
  await form.getByLabel('Agreement', { exact: true }).selectOption(p.gradient);
  await form.getByLabel('Reason', { exact: true }).fill(p.reason);
  await form.getByLabel('Red line (optional)').fill(p.redLine ?? '');
  await form.getByLabel(p.sharing).check();
  await form.getByRole('button', { name: 'Record position' }).click();
  await form.getByRole('status').filter({ hasText: 'Position recorded.' }).waitFor();
}

describeWithBrowser('negotiation: private positions, mediator sharing, live gap map and ZOPA', () => {
  let server: RunningServer;
  const browsers: Browser[] = [];
  let ua: Page;
  let ru: Page;
  let mediator: Page;
  const errors: string[][] = [];
  const baseline: { ru: string | null; mediator: string | null; blockedBy: string } = { ru: null, mediator: null, blockedBy: '' };

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    const open = (username: string) =>
      openSignedIn({ browsers, errors }, server.url, username, { open: '#/negotiation', ready: (p) => p.getByTestId('gap-map') });
    ua = await open('ua-delegate');
    ru = await open('ru-delegate');
    mediator = await open('mediator');
  }, 120_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  it('delegation A records a private position: A sees it, with its reason', async () => {
    // The demo's earlier rounds are on the map already: what B and the mediator see of A is the baseline.
    baseline.ru = await ru.locator(cell('ua')).getAttribute('data-gradient');
    baseline.mediator = await mediator.locator(cell('ua')).getAttribute('data-gradient');
    baseline.blockedBy = await mediator.locator(`[data-zopa="${CLAUSE}"] .ng-zopa-blocked`).innerText();
    expect(baseline.blockedBy).not.toContain('UA');

    await openClause(ua);
    // The bracketed clause's alternatives are shown side by side.
    expect(await ua.locator(`[data-alternative="${ALT_A}"]`).count()).toBe(1);
    expect(await ua.locator(`[data-alternative="${ALT_B}"]`).count()).toBe(1);
    await record(ua, { alternative: ALT_B, gradient: 'block', reason: PRIVATE_REASON, sharing: 'My delegation only' });
    await expect.poll(() => ua.getByTestId('positions').innerText(), { timeout: 10_000 }).toContain(PRIVATE_REASON);
    await ua.locator(`${cell('ua')}[data-gradient="block"]`).waitFor({ timeout: 10_000 });
    await screenshot(ua, 'negotiation-01-a-private-position', true);
  });

  it('delegation B cannot see it: not in its map, not in the clause, not in what its API answers', async () => {
    await ru.reload();
    await ru.getByTestId('gap-map').waitFor();
    await openClause(ru);
    expect(await ru.locator(cell('ua')).getAttribute('data-gradient')).toBe(baseline.ru);
    expect(baseline.ru).not.toBe('block');
    expect(await ru.locator('body').innerText()).not.toContain(PRIVATE_REASON);
    const session = await signInOverHttp(server.url, 'ru-delegate');
    const seen = JSON.stringify(await getJson(server.url, `/api/v1/negotiation/positions?clause=${CLAUSE}`, session));
    expect(seen).not.toContain(PRIVATE_REASON);
    await screenshot(ru, 'negotiation-02-b-cannot-see', true);
  });

  it('the mediator does not see the private one either; only the mediator has the ZOPA and console panels', async () => {
    await mediator.reload();
    await mediator.getByTestId('gap-map').waitFor();
    expect(await mediator.locator(cell('ua')).getAttribute('data-gradient')).toBe(baseline.mediator);
    expect(await mediator.locator(`[data-zopa="${CLAUSE}"] .ng-zopa-blocked`).innerText()).not.toContain('UA');
    await mediator.getByTestId('console').waitFor();
    expect(await ua.getByTestId('zopa').count()).toBe(0);
    expect(await ru.getByTestId('console').count()).toBe(0);
  });

  it('a block A shares with the mediator reaches the mediator live: gap map, ZOPA, detail with red line; B still sees nothing', async () => {
    await openClause(mediator);
    expect(await mediator.getByTestId('positions').innerText()).not.toContain(PRIVATE_REASON);
    await record(ua, {
      alternative: ALT_B,
      gradient: 'block',
      reason: MEDIATOR_REASON,
      redLine: RED_LINE,
      sharing: 'My delegation and the mediator',
    });
    // No reload on the mediator's side: the live stream brings it.
    await mediator.locator(`${cell('ua')}[data-gradient="block"]`).waitFor({ timeout: 10_000 });
    const zopaRow = mediator.locator(`[data-zopa="${CLAUSE}"]`);
    await expect.poll(() => zopaRow.locator('.ng-zopa-blocked').innerText(), { timeout: 10_000 }).toContain('UA');
    expect(await zopaRow.locator('.ng-zopa-acceptable').innerText()).not.toContain(ALT_B);
    await expect.poll(() => mediator.locator(`[data-gap="${CLAUSE}"]`).innerText(), { timeout: 10_000 }).toMatch(/\d+ blocks?/);
    await expect.poll(() => mediator.getByTestId('positions').innerText(), { timeout: 10_000 }).toContain(RED_LINE);
    expect(await mediator.getByTestId('positions').innerText()).not.toContain(PRIVATE_REASON);

    await ru.reload();
    await ru.getByTestId('gap-map').waitFor();
    expect(await ru.locator(cell('ua')).getAttribute('data-gradient')).toBe(baseline.ru);
    expect(await ru.locator('body').innerText()).not.toContain(MEDIATOR_REASON);
    await screenshot(mediator, 'negotiation-03-mediator-sees-shared', true);
  });

  it("B's position shared with all reaches A's map and the mediator's live", async () => {
    await openClause(ru);
    await record(ru, { alternative: ALT_A, gradient: 'endorse', reason: RU_REASON, sharing: 'Everyone in the process' });
    await mediator.locator(`${cell('ru')}[data-gradient="endorse"]`).waitFor({ timeout: 10_000 });
    await ua.locator(`${cell('ru')}[data-gradient="endorse"]`).waitFor({ timeout: 10_000 });
    await expect.poll(() => ua.getByTestId('positions').innerText(), { timeout: 10_000 }).toContain(RU_REASON);
    await screenshot(ua, 'negotiation-04-a-sees-public-position', true);
  });

  it('delegation A tables an amendment; B sees it live; the mediator accepts it, previews and merges it; the new version appears', async () => {
    await openClause(ua, AMENDED);
    const form = ua.getByTestId('proposal-form');
    expect(await form.getByLabel('What it does').inputValue()).toBe('text');
    // An amendment starts from the words it amends.
    expect(await form.getByLabel('Text (English)').inputValue()).toContain('including strikes by missiles');
    await form.getByLabel('Text (English)').fill(AMENDMENT);
    await form.getByLabel('Text (Ukrainian, optional)').fill(AMENDMENT_UK);
    await form.getByLabel('Explanation (optional)').fill('Space assets were hit in 2025.');
    await form.getByRole('button', { name: 'Save as draft' }).click();
    const mine = ua.locator('[data-testid="proposals"] [data-party="ua"]');
    await mine.and(ua.locator('[data-state="draft"]')).waitFor({ timeout: 10_000 });
    const id = (await mine.getAttribute('data-proposal'))!;
    // B does not see a draft.
    await openClause(ru, AMENDED);
    expect(await ru.locator(`[data-proposal="${id}"]`).count()).toBe(0);

    await mine.getByRole('button', { name: 'Table' }).click();
    await ru.locator(`[data-proposal="${id}"][data-state="tabled"]`).waitFor({ timeout: 10_000 });
    // The card shows the amendment against the words it replaces.
    expect((await ru.locator(`[data-proposal="${id}"] ins`).allInnerTexts()).join(' ')).toContain('outer space');

    await openClause(mediator, AMENDED);
    const card = mediator.locator(`[data-proposal="${id}"]`);
    await card.and(mediator.locator('[data-state="tabled"]')).waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Accept' }).click();
    await mediator.locator(`[data-proposal="${id}"][data-state="accepted"]`).first().waitFor({ timeout: 10_000 });
    const merge = mediator.getByTestId('merge');
    const pick = merge.locator(`li[data-proposal="${id}"] input[type="checkbox"]`);
    await pick.waitFor({ timeout: 10_000 });
    expect(await pick.isChecked()).toBe(true);
    await merge.getByRole('button', { name: 'Preview the changes' }).click();
    const preview = mediator.getByTestId('merge-preview');
    await preview.locator(`[data-clause="${AMENDED}"]`).waitFor({ timeout: 10_000 });
    expect((await preview.locator(`[data-clause="${AMENDED}"] ins`).allInnerTexts()).join(' ')).toContain('outer space');
    await screenshot(mediator, 'negotiation-05-merge-preview', true);
    await shoot(merge, 'negotiation-05b-merge-panel');

    const before = (
      (await getJson(server.url, '/api/v1/framework', await signInOverHttp(server.url, 'observer'))) as { versions: { number: number }[] }
    ).versions.length;
    await merge.getByRole('button', { name: `Merge into version ${before + 1}` }).click();
    await merge
      .getByRole('status')
      .filter({ hasText: `Version ${before + 1} recorded` })
      .waitFor({ timeout: 10_000 });

    // A's page follows live: the clause reads the new words, and the proposal says where it went.
    await expect.poll(() => ua.locator('[data-testid="clause-detail"] .ng-text').innerText(), { timeout: 10_000 }).toContain('outer space');
    await ua.locator(`[data-proposal="${id}"][data-state="merged"]`).waitFor({ timeout: 10_000 });
    expect(await ua.locator(`[data-proposal="${id}"]`).innerText()).toContain(`Merged into version ${before + 1}`);
    const framework = (await getJson(server.url, '/api/v1/framework', await signInOverHttp(server.url, 'ru-delegate'))) as {
      versions: { number: number; note: string }[];
    };
    expect(framework.versions.at(-1)).toMatchObject({ number: before + 1, note: expect.stringContaining(AMENDED) });
    await screenshot(ua, 'negotiation-06-a-sees-merged-version', true);
  });

  it('a comment A keeps to itself is not seen by B or the mediator; one for all reaches them live', async () => {
    for (const page of [ua, ru, mediator]) await openClause(page, AMENDED);
    const thread = ua.getByTestId('comments');
    const post = async (text: string, sharing: string) => {
      const form = thread.getByTestId('comment-form');
      await form.getByLabel('Comment on this clause…').fill(text);
      await form.getByLabel(sharing).check();
      await form.getByRole('button', { name: 'Post comment' }).click();
      await expect.poll(() => thread.innerText(), { timeout: 10_000 }).toContain(text);
    };
    await post(PRIVATE_COMMENT, 'My delegation only');
    await post(PUBLIC_COMMENT, 'Everyone in the process');
    await expect.poll(() => ru.getByTestId('comments').innerText(), { timeout: 10_000 }).toContain(PUBLIC_COMMENT);
    await expect.poll(() => mediator.getByTestId('comments').innerText(), { timeout: 10_000 }).toContain(PUBLIC_COMMENT);
    expect(await ru.locator('body').innerText()).not.toContain(PRIVATE_COMMENT);
    expect(await mediator.locator('body').innerText()).not.toContain(PRIVATE_COMMENT);
    const session = await signInOverHttp(server.url, 'ru-delegate');
    expect(JSON.stringify(await getJson(server.url, `/api/v1/negotiation/comments?clause=${AMENDED}`, session))).not.toContain(
      PRIVATE_COMMENT,
    );
    await screenshot(ua, 'negotiation-07-comments', true);
    await shoot(ua.getByTestId('clause-detail'), 'negotiation-07b-clause-detail-ua');
    await shoot(ru.getByTestId('clause-detail'), 'negotiation-07c-clause-detail-ru');
  });

  it("the mediator's console lists the demo's stress comparison of c-commit-sea and opens the clause from it", async () => {
    const sea = mediator.locator('[data-tested="c-commit-sea"]');
    await sea.waitFor({ timeout: 10_000 });
    // The demo's reheating comparison: breaches in the corridor's buffer under B fall in a coverage gap, none under A.
    expect(await sea.locator('.ng-tested-headline').innerText()).toMatch(
      /^Under alternative B, .* fall in a coverage gap .*none under A\.$/,
    );
    const breaches = async (alternative: string) =>
      Number(await sea.locator(`[data-arm="${alternative}"]`).getAttribute('data-gap-breaches'));
    expect(await breaches('c-commit-sea-a')).toBe(0);
    expect(await breaches('c-commit-sea-b')).toBeGreaterThan(0);
    expect(await sea.locator('[data-arm="c-commit-sea-b"]').getAttribute('class')).toContain('ng-arm-worse');
    // What the page shows is what the API answers.
    const session = await signInOverHttp(server.url, 'mediator');
    const answer = (await getJson(server.url, '/api/v1/negotiation/console', session)) as {
      tested: { clause: string; comparisons: { headline: string | null }[] }[];
    };
    const fromApi = answer.tested.find((x) => x.clause === 'c-commit-sea')!;
    expect(await sea.locator('.ng-tested-headline').first().innerText()).toBe(fromApi.comparisons[0]!.headline);
    await shoot(mediator.getByTestId('console'), 'negotiation-08-console-stress-tested');

    await mediator.getByRole('button', { name: 'Open clause c-commit-sea and its stress test' }).click();
    const detail = mediator.getByTestId('clause-detail');
    await detail.getByRole('heading', { name: 'Clause c-commit-sea', exact: true }).waitFor();
    await detail.getByTestId('clause-comparison').locator('.st-findings').waitFor();
    // The detail sits below the map: the link brings it into view.
    await expect.poll(() => detail.evaluate((el) => Math.round(el.getBoundingClientRect().top)), { timeout: 5_000 }).toBeLessThan(200);
    await screenshot(mediator, 'negotiation-08b-console-opens-clause', false);
  });

  it('a refused field shows next to it, and no page reported an error', async () => {
    const form = ua.getByTestId('position-form');
    await form.getByLabel('Reason', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Record position' }).click();
    await form.locator('#ng-reason-error').waitFor();
    // The session probe before signing in answers 401 by design.
    for (const list of errors)
      expect(
        list.filter((e) => !/status of 401/.test(e)),
        list.join('\n'),
      ).toEqual([]);
  });
});
