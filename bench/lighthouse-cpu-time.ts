// Lighthouse on a URL, audited twice from the same run (decision 017): as
// recorded, and with each main-thread task shrunk to the thread's CPU time in
// it (the trace's `tdur`), its nested events scaled with it. Lighthouse's
// simulation multiplies the tasks' wall time; on a loaded machine the renderer
// waits for a core inside them, so the second audit says what the page itself
// costs. Not part of `npm run bench`; for comparing pages on a shared machine.
//
//   BENCH_LIGHTHOUSE_FROM=/work/lh-tools node --import tsx bench/lighthouse-cpu-time.ts <url> [runs]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Event = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } };
type Lhr = { categories: Record<string, { score: number }>; audits: Record<string, { numericValue?: number }> };

const [url, runsArg] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: node --import tsx bench/lighthouse-cpu-time.ts <url> [runs]\n');
  process.exit(2);
}
const from = process.env.BENCH_LIGHTHOUSE_FROM ?? process.cwd();
const cli = path.join(from, 'node_modules/.bin/lighthouse');
const chromium = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const categories = '--only-categories=performance,accessibility,best-practices,seo';

/** Shrinks every top-level task on each renderer main thread to its CPU time, in place. */
function toCpuTime(events: Event[]): void {
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, Event[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key) || e.ph === 'M') continue;
    const list = byThread.get(key);
    if (list) list.push(e);
    else byThread.set(key, [e]);
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    list.forEach((task, i) => {
      if (task.ph !== 'X' || (task.name !== 'RunTask' && task.name !== 'ThreadControllerImpl::RunTask')) return;
      if (!task.dur || !task.tdur) return;
      const scale = Math.min(1, task.tdur / task.dur);
      const end = task.ts + task.dur;
      for (let j = i + 1; j < list.length && list[j].ts < end; j++) {
        list[j].ts = task.ts + (list[j].ts - task.ts) * scale;
        if (list[j].dur) list[j].dur = list[j].dur! * scale;
      }
      task.dur *= scale;
    });
  }
  for (const e of events) {
    e.ts = Math.round(e.ts);
    if (e.dur !== undefined) e.dur = Math.round(e.dur);
  }
}

function audit(dir: string, out: string): Lhr {
  execFileSync(cli, [url, categories, '--quiet', `-A=${dir}`, '--output=json', `--output-path=${out}`], { stdio: 'ignore' });
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Lhr;
}

const line = (lhr: Lhr) =>
  `performance ${Math.round(lhr.categories.performance.score * 100)}, TBT ${Math.round(lhr.audits['total-blocking-time'].numericValue ?? NaN)} ms, ` +
  `LCP ${Math.round(lhr.audits['largest-contentful-paint'].numericValue ?? NaN)} ms`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cpu-'));
try {
  for (let run = 1; run <= Number(runsArg ?? 1); run++) {
    const wall = path.join(tmp, `wall-${run}`);
    execFileSync(cli, [url, categories, '--quiet', `-G=${wall}`, `--chrome-path=${chromium}`, '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage'], { stdio: 'ignore' });
    const load = os.loadavg()[0].toFixed(2);
    const cpu = path.join(tmp, `cpu-${run}`);
    fs.cpSync(wall, cpu, { recursive: true });
    const tracePath = path.join(cpu, 'defaultPass.trace.json');
    const trace = JSON.parse(fs.readFileSync(tracePath, 'utf8')) as { traceEvents: Event[] };
    toCpuTime(trace.traceEvents);
    fs.writeFileSync(tracePath, JSON.stringify(trace));
    process.stdout.write(`run ${run} (load ${load}): wall time: ${line(audit(wall, `${wall}.json`))}; CPU time: ${line(audit(cpu, `${cpu}.json`))}\n`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
