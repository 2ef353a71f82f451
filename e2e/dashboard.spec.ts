import { expect, test, type Page } from '@playwright/test';
import OpenAI from 'openai';
import { serveAgainstSimulator } from './support/serve-with-simulator';
import { adminEvents } from './support/admin-client';
import { E2E_USERS } from './support/simulator';
import { addAccountThroughSettings, serveAvatars, snap, watchForCspViolations } from './support/page-helpers';

const env = serveAgainstSimulator();

/** The engine names models by their catalog id; clients may send the bare name. */
const MODEL = 'openai/gpt-4o-mini';

const card = (page: Page, login: string) => page.getByRole('article', { name: login });

test('add two accounts, watch a rate limit rotate live, reset it', async ({ page }, testInfo) => {
  const csp = watchForCspViolations(page);
  await serveAvatars(page);
  await page.goto(env.server.dashboardUrl);

  // The admin key leaves the visible URL at once; the page keeps it for this tab only.
  await expect(page).not.toHaveURL(/key=/);
  await expect(page.getByText(/No accounts yet/)).toContainText('No accounts yet — add a provider key (Groq, Gemini, Cerebras, OpenRouter, …) in Settings.');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await addAccountThroughSettings(page, E2E_USERS.alice.token, 'Added GITHUB_TOKEN: signed in as alice');
  await addAccountThroughSettings(page, E2E_USERS.bob.token, /Added GITHUB_TOKEN\d: signed in as bob/);
  const accountList = page.getByRole('region', { name: 'Accounts' }).getByRole('listitem');
  await expect(accountList.filter({ hasText: 'alice' })).toContainText('GITHUB_TOKEN');
  await expect(accountList.filter({ hasText: 'bob' })).toContainText('GITHUB_TOKEN2');
  await snap(page, testInfo, 'settings');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(card(page, 'alice')).toBeVisible();
  await expect(card(page, 'bob')).toBeVisible();
  // From here on the page must update by itself: a marker set now would vanish on a reload.
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same page'));

  // Send requests until the simulator answers one with a 429 and the engine rotates; the client
  // never sees the 429. Two per minute per (user, model) means the third request rotates.
  const client = new OpenAI({ baseURL: env.server.proxyUrl, apiKey: 'unused', maxRetries: 0 });
  let rotated = false;
  for (let i = 0; i < 6 && !rotated; i++) {
    const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] });
    expect(reply.choices[0]?.message.content).toBeTruthy();
    rotated = (await adminEvents(env.server, 'rotated')).length > 0;
  }
  expect(rotated, 'one account reached its per-minute limit').toBe(true);

  // Without reloading: the rotation event and alice's countdown appear, and the countdown runs.
  const timeline = page.getByRole('list', { name: 'Events, newest first' });
  await expect(timeline.getByText(/Rotated openai\/gpt-4o-mini from GITHUB_TOKEN to GITHUB_TOKEN2: GITHUB_TOKEN reached its per-minute limit/)).toBeVisible();
  const cooling = card(page, 'alice').getByRole('list', { name: /Models cooling down on GITHUB_TOKEN/ });
  const countdown = cooling.locator('li', { hasText: MODEL }).locator('.countdown-left');
  await expect(countdown).toHaveText(/^(\d{1,2} s|1 min( \d{1,2} s)?)$/);
  const first = await countdown.textContent();
  await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
  await expect(card(page, 'alice').getByText('UserByModelByMinute')).toBeVisible();
  await expect(timeline.locator('[data-kind="started"]').first()).toContainText(/^started \d\d:\d\d:\d\d/);
  await snap(page, testInfo, 'dashboard-cooling');

  await card(page, 'alice').getByRole('button', { name: `Reset ${MODEL} on GITHUB_TOKEN` }).click();
  await expect(cooling).toHaveCount(0);
  await expect(timeline.getByText(`Reset by hand: ${MODEL} on GITHUB_TOKEN`)).toBeVisible();
  await snap(page, testInfo, 'dashboard');

  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same page');
  expect(csp(), 'the strict CSP blocked nothing the app needs').toEqual([]);
});

test('the dashboard has a favicon', async ({ page }) => {
  const favicon = await page.request.get(new URL('/favicon.ico', env.server.dashboardUrl).toString());
  expect(favicon.status()).toBe(200);
  expect((await favicon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
});
