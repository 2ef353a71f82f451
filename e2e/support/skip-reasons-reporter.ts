import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Says why tests were skipped, after the list reporter's summary ("4 skipped" alone hides that
 * the desktop app was not tested at all, and why). Grouped by reason, each with its tests' titles.
 */
export default class SkipReasonsReporter implements Reporter {
  private readonly byReason = new Map<string, string[]>();

  private readonly write: (text: string) => void;

  /** Playwright passes the options given in the config; tests pass `write`. */
  constructor(options: { write?: (text: string) => void } = {}) {
    this.write = options.write ?? ((text) => void process.stdout.write(text));
  }

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const notes = [...(result.annotations ?? []), ...test.annotations];
    const reason = notes.find((a) => (a.type === 'skip' || a.type === 'fixme') && a.description)?.description ?? 'no reason given';
    const titles = this.byReason.get(reason) ?? [];
    titles.push(test.titlePath().filter(Boolean).join(' › '));
    this.byReason.set(reason, titles);
  }

  onEnd(): void {
    if (this.byReason.size === 0) return;
    const lines = ['', 'Skipped, and why:'];
    for (const [reason, titles] of this.byReason) {
      lines.push(`  ${titles.length} skipped — ${reason}`);
      for (const title of titles) lines.push(`      ${title}`);
    }
    this.write(`${lines.join('\n')}\n`);
  }
}
