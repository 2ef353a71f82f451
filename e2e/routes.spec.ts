import { expect, test, type Page } from '@playwright/test';
import { simulatorBaseUrlEnv } from '../main/simulator/providers/registry';
import { serveAgainstSimulator } from './support/serve-with-simulator';
import { serveAvatars, snap } from './support/page-helpers';
import { ROUTES_KEYS } from './support/routes-keys';

test.describe.configure({ mode: 'serial' });

test.describe('the route editor', () => {
  const env = serveAgainstSimulator();

  async function openRoutes(page: Page) {
    await serveAvatars(page);
    await page.goto(env.server.dashboardUrl);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const region = page.getByRole('region', { name: 'Routes' });
    await expect(region).toBeVisible();
    return region;
  }

  const targetsOf = (page: Page, route: string) => page.getByRole('list', { name: `Targets of ${route}, in order` }).getByRole('listitem');

  test('create a route, add targets, reorder them by keyboard and by drag; the order survives a reload', async ({ page }, testInfo) => {
    const region = await openRoutes(page);
    await expect(region.getByText('No routes of your own yet.')).toBeVisible();

    await region.getByLabel(/Route name/).fill('llama-3.3-70b');
    await region.getByLabel('First target').fill('groq/llama-3.3-70b-versatile');
    await region.getByRole('button', { name: 'Create route' }).click();
    await expect(region.getByRole('status')).toHaveText('Created route llama-3.3-70b.');

    for (const target of ['cerebras/llama-3.3-70b', 'nvidia/meta/llama-3.3-70b-instruct']) {
      await region.getByLabel('Add a target to llama-3.3-70b').fill(target);
      await region.getByLabel('Add a target to llama-3.3-70b').press('Enter');
      await expect(region.getByRole('status')).toHaveText(`Added ${target} to llama-3.3-70b.`);
    }
    const rows = targetsOf(page, 'llama-3.3-70b');
    await expect(rows).toHaveCount(3);

    // Keyboard: focus the first target's "Move down" and press Enter twice; focus follows the row.
    await region.getByRole('button', { name: 'Move down groq/llama-3.3-70b-versatile in llama-3.3-70b' }).focus();
    await page.keyboard.press('Enter');
    await expect(rows.nth(1)).toHaveAttribute('data-target', 'groq/llama-3.3-70b-versatile');
    await expect(region.getByRole('button', { name: 'Move down groq/llama-3.3-70b-versatile in llama-3.3-70b' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(rows.nth(2)).toHaveAttribute('data-target', 'groq/llama-3.3-70b-versatile');

    // Drag: nvidia onto the first row.
    await rows.nth(1).dragTo(rows.nth(0));
    await expect(region.getByRole('status')).toHaveText('Moved nvidia/meta/llama-3.3-70b-instruct to place 1 of llama-3.3-70b.');
    const order = ['nvidia/meta/llama-3.3-70b-instruct', 'cerebras/llama-3.3-70b', 'groq/llama-3.3-70b-versatile'];
    for (const [i, target] of order.entries()) await expect(rows.nth(i)).toHaveAttribute('data-target', target);
    await snap(page, testInfo, 'settings-routes');

    await page.reload();
    const after = targetsOf(page, 'llama-3.3-70b');
    await expect(after).toHaveCount(3);
    for (const [i, target] of order.entries()) await expect(after.nth(i)).toHaveAttribute('data-target', target);
  });

  test('a bad target is refused in plain words before anything is sent; a route is removed', async ({ page }) => {
    const region = await openRoutes(page);
    const writes: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/admin/api/') && request.method() !== 'GET') writes.push(request.method());
    });
    await region.getByLabel(/Route name/).fill('second');
    await region.getByLabel('First target').fill('llama-3.3-70b');
    await region.getByRole('button', { name: 'Create route' }).click();
    await expect(region.getByRole('alert')).toHaveText('second: A target is a provider id, a slash and the model, like groq/llama-3.3-70b-versatile.');
    expect(writes).toEqual([]);
    await region.getByRole('button', { name: 'Remove route llama-3.3-70b' }).click();
    await expect(region.getByText('No routes of your own yet.')).toBeVisible();
    await page.reload();
    await expect(page.getByRole('region', { name: 'Routes' }).getByText('No routes of your own yet.')).toBeVisible();
  });
});

test.describe('the dashboard’s routes panel', () => {
  // Groq (one request a minute) and Cerebras: the built-in route llama-3.3-70b falls back on its second request.
  const routed = serveAgainstSimulator({ simulatorScript: 'routes-simulator-main.ts', env: (url) => ({ ...simulatorBaseUrlEnv(url), ...ROUTES_KEYS }) });

  async function ask(question: string): Promise<{ status: number; target: string | null }> {
    const response = await fetch(`${routed.server.proxyUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer unused' },
      body: JSON.stringify({ model: 'llama-3.3-70b', messages: [{ role: 'user', content: question }] }),
    });
    await response.text();
    return { status: response.status, target: response.headers.get('x-switchyard-route-target') };
  }

  test('traffic moves from the first target to the next after a fallback, live', async ({ page }, testInfo) => {
    await serveAvatars(page);
    await page.goto(routed.server.dashboardUrl);
    const route = page.getByRole('region', { name: 'Routes' }).getByRole('article', { name: 'llama-3.3-70b' });
    const row = (target: string) => route.locator(`tr[data-target="${target}"]`);
    const groq = row('groq/llama-3.3-70b-versatile');
    const cerebras = row('cerebras/llama-3.3-70b');
    await expect(groq).toContainText('Ready');
    await expect(cerebras).toContainText('Ready');

    expect(await ask('first question')).toEqual({ status: 200, target: 'groq/llama-3.3-70b-versatile' });
    await expect(groq.getByRole('cell')).toHaveText(['Ready', '1', '0']);
    await expect(groq).toContainText('Latest');

    // Groq's minute is spent: the next request is answered by Cerebras, and the panel follows.
    expect(await ask('second question')).toEqual({ status: 200, target: 'cerebras/llama-3.3-70b' });
    await expect(cerebras.getByRole('cell')).toHaveText(['Ready', '1', '1']);
    await expect(cerebras).toContainText('Latest');
    await expect(groq).not.toContainText('Latest');
    await expect(groq.getByRole('cell').first()).toContainText(/Rate-limited resets in .* — the groq account is at a limit/);

    // The fallback is in the timeline too.
    await expect(page.getByText('Route llama-3.3-70b fell back from groq/llama-3.3-70b-versatile to cerebras/llama-3.3-70b', { exact: false })).toBeVisible();
    await snap(page, testInfo, 'dashboard-routes-fallback');
  });
});
