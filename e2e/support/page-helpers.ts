import { expect, type Page, type TestInfo } from '@playwright/test';

/** Pastes a token into Settings → Add an account and waits for the engine's answer. */
export async function addAccountThroughSettings(page: Page, token: string, expected: string | RegExp): Promise<void> {
  // The form opens on a live provider (Groq); these tokens are GitHub Models' (its simulator here still serves).
  await page.getByLabel('Provider').selectOption('github');
  const field = page.getByLabel('GitHub token');
  await field.fill(token);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(field).toHaveValue('');
  const added = page.getByRole('region', { name: 'Add an account' }).getByRole('status');
  await expect(added).toContainText(expected);
}

/** Collects Content-Security-Policy violations the page reports (console and securitypolicyviolation). */
export function watchForCspViolations(page: Page): () => string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => [...found];
}

/** Answers GitHub avatar requests with a drawn circle: these machines are offline. */
export async function serveAvatars(page: Page): Promise<void> {
  await page.route('https://avatars.githubusercontent.com/**', (route) =>
    route.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="20" fill="#6e40c9"/></svg>',
    }),
  );
}

/** A full-page screenshot kept as a test artifact (test-results/<test>/<name>.png, and in the report). */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
