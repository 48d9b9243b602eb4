// Debian's Chromium driven by playwright-core (no downloaded browser builds).
import AxeBuilder from '@axe-core/playwright';
import { chromium, errors, type BrowserContext, type Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './db';

export const RESULTS_DIR = path.resolve(__dirname, '../../test-results');

export async function launchBrowser(options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('ikenbako-chromium-'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: 'ja-JP',
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * WCAG 2.1 A and AA violations on the page, or those of the named axe rules only (an empty list is the goal).
 * Legacy mode runs axe.run() in the page itself; the default opens a blank page per sweep and
 * injects axe a second time to merge per-frame results, which only cross-origin frames need
 * (the app has no frames) and which doubled each sweep's cost.
 */
export async function axeViolations(page: Page, options: { rules?: string[] } = {}) {
  const builder = new AxeBuilder({ page }).setLegacyMode(true);
  const results = await (options.rules ? builder.withRules(options.rules) : builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])).analyze();
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/** Pages taller than this (CSS px) are pictured as the test left them on screen, not whole. */
const FULL_PAGE_MAX_PX = 8_000;
/** How long a whole page may take before the viewport is taken instead. */
const FULL_PAGE_TIMEOUT_MS = 20_000;

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  // A whole page is rasterised in software, and under CI's load that can
  // stall: the report page (~23,000 px tall at 360 px wide) takes ~1 s on a
  // quiet machine but once took over 60 s, and so did a revision's diff page
  // (under 8,000 px). The picture is for people to look at, so a long page,
  // or a shorter one not taken whole within FULL_PAGE_TIMEOUT_MS, is taken as
  // the viewport the test left (the message it just focused, the form it
  // filled): ~60 ms. Any other failure, or a viewport not taken, still fails.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height <= FULL_PAGE_MAX_PX) {
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: FULL_PAGE_TIMEOUT_MS });
      return file;
    } catch (error) {
      if (!(error instanceof errors.TimeoutError)) throw error;
    }
  }
  await page.screenshot({ path: file, timeout: 60_000 });
  return file;
}
