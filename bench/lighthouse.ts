// Lighthouse (npm `lighthouse` 12.2.3, its default mobile preset with simulated
// throttling) on the report page, in Debian's Chromium. Optional: the module is
// not a dependency of the project, so without it this part says so and is skipped.
// BENCH_LIGHTHOUSE_FROM names another folder to resolve it from (one where
// `npm install lighthouse@12.2.3` was run), so that trying it needs no change here.
// BENCH_LIGHTHOUSE_RUNS runs (3) are made, each in a fresh Chromium, and their
// medians kept: one run on the shared machine moves by ten points (decision 017).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median as middle } from './util';

export const LIGHTHOUSE_PACKAGE = 'lighthouse@12.2.3';
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3));

/** One run's figures, kept in the JSON beside the medians. */
export type LighthouseRun = {
  performance: number;
  tbtMs: number;
  lcpMs: number;
  benchmarkIndex: number | null;
  /**
   * The page's main thread during the load, from the run's trace: the wall time
   * of its tasks and the thread's CPU time in them. Lighthouse's simulation
   * multiplies the wall time by 4; where it is far above the CPU time the
   * renderer was waiting for a core (a loaded machine), not working.
   */
  mainThread: { taskWallMs: number; taskCpuMs: number } | null;
};

export type LighthouseFigures = {
  version: string;
  preset: 'mobile';
  /** Medians of the runs (accessibility, best practices and SEO: the lowest). */
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
  runs: LighthouseRun[];
};

type Lhr = {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
  environment?: { benchmarkIndex?: number; hostUserAgent?: string };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, { numericValue?: number; score: number | null; scoreDisplayMode: string; errorMessage?: string }>;
};
type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { data?: { documentLoaderURL?: string } } };
type LighthouseFn = (
  url: string,
  flags: Record<string, unknown>,
) => Promise<{ lhr: Lhr; artifacts?: { Trace?: { traceEvents: TraceEvent[] } } } | undefined>;
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

/** Wall and CPU time of the page's main-thread tasks from its navigation on (null without a trace). */
function mainThreadTime(events: TraceEvent[] | undefined): LighthouseRun['mainThread'] {
  const nav = events?.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http'));
  if (!events || !nav) return null;
  let wall = 0;
  let cpu = 0;
  for (const e of events) {
    if (e.pid !== nav.pid || e.tid !== nav.tid || e.ph !== 'X' || e.ts < nav.ts) continue;
    if (e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask') continue;
    wall += e.dur ?? 0;
    cpu += e.tdur ?? 0;
  }
  return { taskWallMs: Math.round(wall / 1000), taskCpuMs: Math.round(cpu / 1000) };
}

/** The runs' median, leaving out a run without the figure (NaN); between two runs, rounded. */
const median = (xs: number[]) => {
  const known = xs.filter((x) => !Number.isNaN(x));
  if (known.length === 0) return NaN;
  return known.length % 2 ? middle(known) : Math.round(middle(known));
};

type OneRun = Omit<LighthouseFigures, 'runs'> & { mainThread: LighthouseRun['mainThread'] };

async function runOnce(modules: NonNullable<Awaited<ReturnType<typeof load>>>, url: string): Promise<OneRun> {
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
      mainThread: mainThreadTime(result.artifacts?.Trace?.traceEvents),
    };
  } finally {
    await chrome.kill();
  }
}

export async function measureLighthouse(root: string, url: string): Promise<LighthouseFigures | { skipped: string }> {
  const modules = await load(root);
  if (!modules) return { skipped: `install lighthouse (npm install --no-save ${LIGHTHOUSE_PACKAGE})` };
  const runs: OneRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce(modules, url));
  const lowest = (pick: (r: OneRun) => number) => Math.min(...runs.map(pick));
  const indexes = runs.map((r) => r.benchmarkIndex).filter((x): x is number => x !== null);
  return {
    version: runs[0].version,
    preset: 'mobile',
    performance: median(runs.map((r) => r.performance)),
    tbtMs: median(runs.map((r) => r.tbtMs)),
    lcpMs: median(runs.map((r) => r.lcpMs)),
    cls: median(runs.map((r) => r.cls * 1000)) / 1000,
    accessibility: lowest((r) => r.accessibility),
    bestPractices: lowest((r) => r.bestPractices),
    seo: lowest((r) => r.seo),
    benchmarkIndex: indexes.length ? median(indexes) : null,
    chromium: runs[0].chromium,
    problems: [...new Set(runs.flatMap((r) => r.problems))],
    runs: runs.map((r) => ({
      performance: r.performance,
      tbtMs: r.tbtMs,
      lcpMs: r.lcpMs,
      benchmarkIndex: r.benchmarkIndex,
      mainThread: r.mainThread,
    })),
  };
}
