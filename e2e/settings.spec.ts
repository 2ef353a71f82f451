import { expect, test, type Page } from '@playwright/test';
import { serveAgainstSimulator } from './support/serve-with-simulator';
import { E2E_USERS } from './support/simulator';
import { addAccountThroughSettings, serveAvatars, snap, watchForCspViolations } from './support/page-helpers';

const env = serveAgainstSimulator();

test.describe.configure({ mode: 'serial' });

async function openSettings(page: Page): Promise<void> {
  await serveAvatars(page);
  await page.goto(env.server.dashboardUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Add an account' })).toBeVisible();
  // The form opens on Groq (GitHub Models is retired); these tests paste GitHub tokens to the e2e simulator.
  await page.getByLabel('Provider').selectOption('github');
}

/** Every admin API write the page sends. */
function recordWrites(page: Page): string[] {
  const writes: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/admin/api/') && request.method() !== 'GET') writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return writes;
}

test('without its admin key the dashboard says how to open it; a wrong key is refused in plain words', async ({ page }) => {
  await page.goto(`${env.server.origin}/`);
  await expect(page.getByRole('alert')).toContainText('This dashboard needs its admin key.');
  await page.goto(`${env.server.origin}/#key=not-the-key`); // same document: only the fragment changed
  await page.reload();
  await expect(page.getByRole('alert').first()).toContainText('refused the dashboard’s admin key');
});

test('keyboard only: reach Settings, add an account, see the login; the token never shows', async ({ page }) => {
  const csp = watchForCspViolations(page);
  await serveAvatars(page);
  await page.goto(env.server.dashboardUrl);
  await expect(page.getByText(/No accounts yet/)).toBeVisible();
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // Dashboard
  await page.keyboard.press('Tab'); // Settings
  await expect(page.getByRole('link', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/settings$/);
  // The form opens on Groq; GitHub Models is the list's first entry (marked retired).
  const picker = page.getByLabel('Provider');
  await expect(picker).toHaveValue('groq');
  await picker.focus();
  await page.keyboard.press('Home');
  await expect(picker).toHaveValue('github');
  const token = page.getByLabel('GitHub token');
  await expect(token).toHaveAttribute('type', 'password');
  await token.focus();
  await page.keyboard.type(E2E_USERS.alice.token);
  await page.keyboard.press('Enter');
  await expect(token).toHaveValue('');
  await expect(page.getByRole('region', { name: 'Add an account' }).getByRole('status')).toContainText('Added GITHUB_TOKEN: signed in as alice');
  await expect(page.getByRole('region', { name: 'Accounts' }).getByRole('listitem').first()).toContainText('alice');
  expect(await page.content()).not.toContain(E2E_USERS.alice.token);
  expect(csp()).toEqual([]);
});

test('a second token of the same GitHub user is refused with the reason', async ({ page }) => {
  await openSettings(page);
  await page.getByLabel('GitHub token').fill(E2E_USERS.aliceAgain.token);
  await page.getByRole('button', { name: 'Add account' }).click();
  const alert = page.getByRole('region', { name: 'Add an account' }).getByRole('alert');
  await expect(alert).toContainText('alice');
  await expect(alert).toContainText('a second token of the same user adds no quota');
  await expect(page.getByLabel('GitHub token')).toHaveValue('');
  await expect(page.getByRole('region', { name: 'Accounts' }).getByRole('listitem')).toHaveCount(1);
  expect(await page.content()).not.toContain(E2E_USERS.aliceAgain.token);
});

test('validation speaks plain words before anything is sent', async ({ page }) => {
  await openSettings(page);
  const writes = recordWrites(page);
  const empty = page.getByRole('button', { name: 'Add account' });
  await empty.click();
  await expect(page.getByText('Paste a GitHub token first.')).toBeVisible();
  const port = page.getByLabel('Port (PORT)');
  await port.fill('70000');
  await page.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByText('Port must be 65535 or less.')).toBeVisible();
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  const perMinute = page.getByLabel(/RATE_LIMIT_PER_MINUTE/);
  await perMinute.fill('lots');
  await page.getByRole('button', { name: 'Save limits' }).click();
  await expect(page.getByText('Requests per minute (RATE_LIMIT_PER_MINUTE) must be a number, written with digits only (like 2000).')).toBeVisible();
  expect(writes).toEqual([]);
  await perMinute.fill('45');
  await page.getByLabel(/RATE_LIMIT_ENABLED/).check();
  await page.getByRole('button', { name: 'Save limits' }).click();
  await expect(page.getByRole('region', { name: 'Throttling and rate limit' }).getByRole('status')).toHaveText('Saved.');
  expect(writes).toEqual(['PATCH /admin/api/settings']);
  await page.reload();
  await expect(page.getByLabel(/RATE_LIMIT_PER_MINUTE/)).toHaveValue('45');
  await expect(page.getByLabel(/RATE_LIMIT_ENABLED/)).toBeChecked();
});

test('accounts reorder and disable; the client API key is shown once and the dashboard mentions it', async ({ page }, testInfo) => {
  await openSettings(page);
  await addAccountThroughSettings(page, E2E_USERS.bob.token, /signed in as bob/);
  const rows = page.getByRole('region', { name: 'Accounts' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await page.getByRole('button', { name: 'Move up GITHUB_TOKEN2' }).click();
  await expect(rows.first()).toContainText('GITHUB_TOKEN2');
  await page.getByLabel('Enabled GITHUB_TOKEN', { exact: true }).uncheck();
  await expect(rows.nth(1)).toContainText('Disabled');

  await page.getByRole('button', { name: 'Generate key' }).click();
  const fresh = page.getByLabel(/shown only once/);
  await expect(fresh).toHaveValue(/.{8,}/);
  const key = await fresh.inputValue();
  await expect(page.getByText(/A client API key is set/)).toBeVisible();
  await snap(page, testInfo, 'settings-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
  await snap(page, testInfo, 'settings-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 247, 249)');

  await page.reload();
  await expect(page.getByLabel(/shown only once/)).toHaveCount(0);
  expect(await page.content()).not.toContain(key);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByText(/requires the client API key/)).toBeVisible();
  await snap(page, testInfo, 'dashboard-two-accounts');
});
