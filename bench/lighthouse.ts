// Lighthouse (npm `lighthouse` 12.2.3, its default mobile preset with simulated
// throttling) on the report page, in Debian's Chromium. Optional: the module is
// not a dependency of the project, so without it this part says so and is skipped.
// BENCH_LIGHTHOUSE_FROM names another folder to resolve it from (one where
// `npm install lighthouse@12.2.3` was run), so that trying it needs no change here.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const LIGHTHOUSE_PACKAGE = 'lighthouse@12.2.3';
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

export type LighthouseFigures = {
  version: string;
  preset: 'mobile';
  performance: number;
  tbtMs: number;
  lcpMs: number;
  cls: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  /** Lighthouse's measure of this machine's CPU (simulated throttling scales by it; < 1000 is a slow or busy machine). */
  benchmarkIndex: number | null;
  chromium: string | null;
  /** Why a score is missing: Lighthouse's runtime error or the failing audits. */
  problems: string[];
};

type Lhr = {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
  environment?: { benchmarkIndex?: number; hostUserAgent?: string };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, { numericValue?: number; score: number | null; scoreDisplayMode: string; errorMessage?: string }>;
};
type LighthouseFn = (url: string, flags: Record<string, unknown>) => Promise<{ lhr: Lhr } | undefined>;
type ChromeLauncher = {
  launch: (o: { chromePath: string; chromeFlags: string[] }) => Promise<{ port: number; kill: () => Promise<void> | void }>;
};

/** The modules, or null when lighthouse is not installed where we look. */
async function load(root: string): Promise<{ lighthouse: LighthouseFn; launcher: ChromeLauncher } | null> {
  const from = createRequire(path.join(process.env.BENCH_LIGHTHOUSE_FROM ?? root, 'package.json'));
  let lighthousePath: string;
  try {
    lighthousePath = from.resolve('lighthouse');
  } catch {
    return null;
  }
  // chrome-launcher comes with lighthouse; resolve it from there.
  const launcherPath = createRequire(lighthousePath).resolve('chrome-launcher');
  const lighthouse = ((await import(pathToFileURL(lighthousePath).href)) as { default: LighthouseFn }).default;
  const launcher = (await import(pathToFileURL(launcherPath).href)) as ChromeLauncher;
  return { lighthouse, launcher };
}

export async function measureLighthouse(root: string, url: string): Promise<LighthouseFigures | { skipped: string }> {
  const modules = await load(root);
  if (!modules) return { skipped: `install lighthouse (npm install --no-save ${LIGHTHOUSE_PACKAGE})` };
  const chrome = await modules.launcher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const result = await modules.lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    if (!result) throw new Error('lighthouse returned no result');
    const { lhr } = result;
    const score = (id: string) => Math.round((lhr.categories[id]?.score ?? NaN) * 100);
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    const problems = [
      ...(lhr.runtimeError ? [`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`] : []),
      ...(lhr.runWarnings ?? []),
      ...Object.entries(lhr.audits)
        .filter(([, a]) => a.scoreDisplayMode === 'error')
        .map(([id, a]) => `${id}: ${a.errorMessage ?? 'error'}`),
    ];
    return {
      version: lhr.lighthouseVersion,
      preset: 'mobile',
      performance: score('performance'),
      tbtMs: Math.round(audit('total-blocking-time')),
      lcpMs: Math.round(audit('largest-contentful-paint')),
      cls: Math.round(audit('cumulative-layout-shift') * 1000) / 1000,
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      seo: score('seo'),
      benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
      chromium: /Chrome\/([\d.]+)/.exec(lhr.environment?.hostUserAgent ?? '')?.[1] ?? null,
      problems,
    };
  } finally {
    await chrome.kill();
  }
}
