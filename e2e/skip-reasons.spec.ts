import { expect, test } from '@playwright/test';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import SkipReasonsReporter from './support/skip-reasons-reporter';

/** The summary reporter on its own (no browser): skipped tests are listed with their reason. */

const testCase = (title: string, annotations: TestCase['annotations'] = []) =>
  ({ annotations, titlePath: () => ['', 'electron.spec.ts', title] }) as unknown as TestCase;
const result = (status: TestResult['status'], annotations: TestResult['annotations'] = []) => ({ status, annotations }) as unknown as TestResult;

test('the skip summary names each skipped test under its reason', () => {
  let out = '';
  const reporter = new SkipReasonsReporter({ write: (text) => (out += text) });
  const why = 'Electron desktop app not tested: no display: run under xvfb-run';
  reporter.onTestEnd(testCase('tray menu'), result('skipped', [{ type: 'skip', description: why }]));
  reporter.onTestEnd(testCase('window'), result('skipped', [{ type: 'skip', description: why }]));
  reporter.onTestEnd(testCase('plain skip'), result('skipped'));
  reporter.onTestEnd(testCase('ran'), result('passed'));
  reporter.onEnd();
  expect(out).toBe(
    ['', 'Skipped, and why:', `  2 skipped — ${why}`, '      electron.spec.ts › tray menu', '      electron.spec.ts › window', '  1 skipped — no reason given', '      electron.spec.ts › plain skip', ''].join('\n'),
  );
  expect(reporter.printsToStdio()).toBe(false);
});

test('nothing is printed when nothing was skipped', () => {
  let out = '';
  const reporter = new SkipReasonsReporter({ write: (text) => (out += text) });
  reporter.onTestEnd(testCase('ran'), result('passed'));
  reporter.onEnd();
  expect(out).toBe('');
});
