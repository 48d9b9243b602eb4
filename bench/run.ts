// `npm run bench`: builds for production, seeds a temporary database with
// realistic data, starts the real server and measures it against bare
// node:http baselines run on the same machine in the same run.
// Prints one table and writes bench/results/latest.json.
//
// Knobs (environment): BENCH_OPINIONS (100000), BENCH_DURATION seconds per run (8),
// BENCH_RUNS (3), BENCH_SKIP_BUILD=1, BENCH_KEEP=1 (keep the temporary folder),
// BENCH_ONLY=opinions (comma list of report,opinions,search,bytes; default all).
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import autocannon, { type Result } from 'autocannon';
import { importNotice } from '../app/models/notices.server';
import { migrateToLatest, openDatabase } from '../app/server/db.server';
import { seedDatabase } from './seed';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SLUG = 'xiuzhou-inspection-2023';
const NOTICE_FILE = path.join(ROOT, 'db/content/xiuzhou-inspection-2023.txt');
const OPINIONS = Number(process.env.BENCH_OPINIONS ?? 100_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GZIP_LEVEL = 9;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'report,opinions,search,bytes').split(',').map((s) => s.trim()));
const ADMIN = { email: 'bench-admin@bench.invalid', password: 'bench-password-0123456789' };

// Staff-search queries: what office staff would type. 3+ characters go through
// the FTS5 trigram index; 1–2 characters through LIKE.
const LONG_QUERIES = [
  '駐車場', '幼稚園', '交通渋滞', '防犯カメラ', '図書館', '下水道', '高齢者', 'バス路線', '文化財', '衛生室',
  '補助金', '手続き', 'デジタル化', '子育て', '巡視整備', '運河湾', '困っています', '説明が足り', '整備を早め', '長江デルタ',
];
const SHORT_QUERIES = [
  '駐車', '道路', '医療', '公園', 'ゴミ', '騒音', '街灯', '歩道', '雇用', '住宅',
  '学校', '農地', '河川', '工事', '窓口', '王', '李', '水', '橋', '党',
];
const SEARCH_REPEATS = 5;
const INBOX_SAMPLES = 60;

// ---------------------------------------------------------------------------
// Child processes: every one is stopped at the end, even on error or Ctrl-C.

const children = new Set<ChildProcess>();

type Child = { proc: ChildProcess; port: number; output: () => string };

function startChild(args: string[], env: Record<string, string | undefined>, ready: RegExp, label: string): Promise<Child> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  // Keep only the tail: the server logs one line per request.
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start:\n${output}`)), 60_000);
    const check = () => {
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        proc.stdout!.off('data', check);
        resolve({ proc, port: Number(m[1]), output: () => output });
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${output}`));
    });
  });
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

process.on('SIGINT', () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(130);
});

// ---------------------------------------------------------------------------
// Small statistics helpers.

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function log(msg: string) {
  process.stdout.write(`[bench] ${msg}\n`);
}

// ---------------------------------------------------------------------------

async function prepareDatabase(file: string) {
  const { db, sqlite } = openDatabase(file);
  await migrateToLatest(db);
  await importNotice(db, fs.readFileSync(NOTICE_FILE), SLUG);
  // Seeding is not what we measure: skip the fsyncs while filling.
  sqlite.pragma('synchronous = OFF');
  const seeded = seedDatabase(sqlite, { opinions: OPINIONS, replies: 2000 });
  const items = sqlite
    .prepare(
      `select s.number as section, i.number as item from sections s join items i on i.section_id = s.id
       where s.revision_id = (select max(id) from report_revisions)`,
    )
    .all() as Array<{ section: number; item: number }>;

  let adminCreated = false;
  try {
    // The staff console's password hashing (issue 4); without it the staff figures are skipped.
    // Imported by path so that the bench still type-checks before that module lands.
    const passwordModule = (await import(pathToFileURL(path.join(ROOT, 'app/utils/password.server.ts')).href)) as {
      hashPassword: (p: string) => string | Promise<string>;
    };
    const hash = await passwordModule.hashPassword(ADMIN.password);
    sqlite
      .prepare(`insert into users (email, display_name, role, password_hash, active, created_at) values (?, ?, 'admin', ?, 1, ?)`)
      .run(ADMIN.email, 'ベンチ管理者', hash, new Date().toISOString());
    adminCreated = true;
  } catch (error) {
    log(`no staff sign-in available (${(error as Error).message.split('\n')[0]}): staff figures skipped`);
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await db.destroy();
  return { seeded, items, adminCreated };
}

type Load = { rps: number; p50: number; p99: number; ok: number; okPerSecond: number; failed: number; codes: Record<string, number> };

function summarize(r: Result): Load {
  const ok = r['2xx'] + r['3xx'];
  const codes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count]));
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok,
    okPerSecond: ok / r.duration,
    failed: r['1xx'] + r['4xx'] + r['5xx'] + r.errors + r.timeouts,
    codes,
  };
}

async function load(options: Parameters<typeof autocannon>[0]): Promise<Load> {
  return summarize(await autocannon({ timeout: 10, ...options }));
}

async function measureReportPage(appUrl: string, tmp: string) {
  const first = await fetch(`${appUrl}/reports/${SLUG}`);
  if (first.status !== 200) throw new Error(`report page answered ${first.status}`);
  const bytes = Buffer.from(await first.arrayBuffer());
  const file = path.join(tmp, 'report.html');
  fs.writeFileSync(file, bytes);
  const baseline = await startChild(
    ['--import', 'tsx', 'bench/baseline-static.ts', file, first.headers.get('content-type') ?? 'text/html'],
    { PATH: process.env.PATH },
    /LISTENING (\d+)/,
    'static baseline',
  );
  const baseUrl = `http://127.0.0.1:${baseline.port}`;
  const target = (url: string) => ({ url: `${url}/reports/${SLUG}`, connections: 50 });
  await load({ ...target(appUrl), duration: 2 });
  await load({ ...target(baseUrl), duration: 2 });
  const app: Load[] = [];
  const base: Load[] = [];
  for (let i = 0; i < RUNS; i++) {
    app.push(await load({ ...target(appUrl), duration: DURATION }));
    base.push(await load({ ...target(baseUrl), duration: DURATION }));
    log(`report page run ${i + 1}: app ${round(app[i].rps)} req/s p99 ${app[i].p99} ms; baseline ${round(base[i].rps)} req/s`);
  }
  await stopChild(baseline.proc);
  const failed = app.reduce((n, r) => n + r.failed, 0);
  return {
    rps: round(median(app.map((r) => r.rps))),
    baselineRps: round(median(base.map((r) => r.rps))),
    p50Ms: median(app.map((r) => r.p50)),
    p99Ms: median(app.map((r) => r.p99)),
    baselineP99Ms: median(base.map((r) => r.p99)),
    nonSuccess: failed,
    htmlBytes: bytes.length,
  };
}

/** An ever-changing valid opinion, so that no two requests look like a double submission. */
function opinionRequests(items: Array<{ section: number; item: number }>, origin: string) {
  const sections = [0, ...new Set(items.map((i) => i.section))];
  const itemsOf = new Map<number, number[]>();
  for (const { section, item } of items) itemsOf.set(section, [...(itemsOf.get(section) ?? []), item]);
  const topics = ['駐車場の料金', '道路の補修', '幼稚園の定員', '医療機関の待ち時間', '公園の照明', 'ゴミの収集日', '夜間の騒音'];
  let n = 0;
  return [
    {
      method: 'POST',
      path: `/reports/${SLUG}/opinions`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, Accept: 'text/html' },
      setupRequest(req: { body?: string }) {
        n++;
        const section = sections[n % sections.length];
        const its = itemsOf.get(section) ?? [];
        const form = new URLSearchParams({
          section: String(section),
          item: its.length && n % 2 ? String(its[n % its.length]) : '',
          body: `${topics[n % topics.length]}について改善をお願いします。負荷試験 ${process.pid}-${n}-${Date.now()}`,
          name: n % 3 ? '' : '負荷 太郎',
          email: n % 4 ? '' : `load${n}@example.cn`,
          phone: '',
          publicOk: 'on',
          consent: 'on',
        });
        return { ...req, body: form.toString() };
      },
    },
  ];
}

async function measureOpinions(appUrl: string, tmp: string, items: Array<{ section: number; item: number }>) {
  const baseline = await startChild(
    ['--import', 'tsx', 'bench/baseline-insert.ts', path.join(tmp, 'baseline.db')],
    { PATH: process.env.PATH },
    /LISTENING (\d+)/,
    'insert baseline',
  );
  const baseUrl = `http://127.0.0.1:${baseline.port}`;
  const run = (url: string, duration: number) =>
    load({ url, connections: 16, duration, requests: opinionRequests(items, appUrl) as never });
  const warm = await run(appUrl, 2);
  if (warm.ok === 0) {
    await stopChild(baseline.proc);
    throw new Error(`opinions endpoint accepted nothing: status codes ${JSON.stringify(warm.codes)}`);
  }
  await run(baseUrl, 2);
  const app: Load[] = [];
  const base: Load[] = [];
  for (let i = 0; i < RUNS; i++) {
    app.push(await run(appUrl, DURATION));
    base.push(await run(baseUrl, DURATION));
    log(`opinions run ${i + 1}: app ${round(app[i].okPerSecond)}/s p99 ${app[i].p99} ms (codes ${JSON.stringify(app[i].codes)}); baseline ${round(base[i].okPerSecond)}/s`);
  }
  await stopChild(baseline.proc);
  const failed = app.reduce((n, r) => n + r.failed, 0) + warm.failed;
  if (failed) log(`opinions: ${failed} requests did not succeed: ${JSON.stringify(app.map((r) => r.codes))}`);
  return {
    perSecond: round(median(app.map((r) => r.okPerSecond))),
    baselinePerSecond: round(median(base.map((r) => r.okPerSecond))),
    p99Ms: median(app.map((r) => r.p99)),
    baselineP99Ms: median(base.map((r) => r.p99)),
    nonSuccess: failed,
    statusCodes: app.map((r) => r.codes),
  };
}

function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Signs in like a browser: hidden fields of the form are sent back. */
async function signIn(appUrl: string): Promise<string> {
  const page = await fetch(`${appUrl}/staff/login`);
  if (page.status !== 200) throw new Error(`/staff/login answered ${page.status}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name) form.set(name, value.replace(/&amp;/g, '&'));
  }
  form.set('email', ADMIN.email);
  form.set('password', ADMIN.password);
  const res = await fetch(`${appUrl}/staff/login`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { Origin: appUrl, Cookie: cookieHeader(page), 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const cookie = cookieHeader(res);
  if (res.status >= 400 || !cookie) throw new Error(`sign-in answered ${res.status} without a session cookie`);
  const check = await fetch(`${appUrl}/staff`, { headers: { Cookie: cookie }, redirect: 'manual' });
  if (check.status !== 200) throw new Error(`/staff after sign-in answered ${check.status}`);
  await check.arrayBuffer();
  return cookie;
}

async function timeGet(url: string, cookie: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { Cookie: cookie }, redirect: 'manual' });
  await res.arrayBuffer();
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return ms;
}

async function measureStaff(appUrl: string) {
  const cookie = await signIn(appUrl);
  const inbox: number[] = [];
  for (let i = 0; i < 5; i++) await timeGet(`${appUrl}/staff`, cookie);
  for (let i = 0; i < INBOX_SAMPLES; i++) inbox.push(await timeGet(`${appUrl}/staff`, cookie));
  const long: number[] = [];
  const short: number[] = [];
  for (let r = 0; r < SEARCH_REPEATS; r++) {
    for (const q of LONG_QUERIES) long.push(await timeGet(`${appUrl}/staff?q=${encodeURIComponent(q)}`, cookie));
    for (const q of SHORT_QUERIES) short.push(await timeGet(`${appUrl}/staff?q=${encodeURIComponent(q)}`, cookie));
  }
  return {
    search: { p95Ms: round(percentile(long, 95)), shortP95Ms: round(percentile(short, 95)), samples: long.length, shortSamples: short.length },
    inbox: { p95Ms: round(percentile(inbox, 95)), samples: inbox.length },
  };
}

/** The page's HTML and every script it loads (following static imports), gzipped. */
async function measureBytes(appUrl: string) {
  const pageUrl = `${appUrl}/reports/${SLUG}`;
  const html = await (await fetch(pageUrl)).text();
  const found = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) found.add(new URL(m[1], pageUrl).href);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"|<link[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) {
    found.add(new URL(m[1] ?? m[2], pageUrl).href);
  }
  // Inline module scripts import the entry and route modules.
  for (const m of html.matchAll(/import\s*(?:[^"';]*?from\s*)?\(?\s*"([^"]+\.js)"/g)) found.add(new URL(m[1], pageUrl).href);
  const queue = [...found];
  let jsGzip = 0;
  let jsRaw = 0;
  const seen = new Set<string>();
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url) || new URL(url).origin !== new URL(appUrl).origin) continue;
    seen.add(url);
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    const code = Buffer.from(await res.arrayBuffer());
    jsRaw += code.length;
    jsGzip += zlib.gzipSync(code, { level: GZIP_LEVEL }).length;
    for (const m of code.toString().matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.js)["']/g)) {
      queue.push(new URL(m[1], url).href);
    }
  }
  return {
    htmlGzip: zlib.gzipSync(Buffer.from(html), { level: GZIP_LEVEL }).length,
    htmlRaw: Buffer.byteLength(html),
    jsGzip,
    jsRaw,
    jsFiles: [...seen].map((u) => new URL(u).pathname),
    gzipLevel: GZIP_LEVEL,
  };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

type Row = [figure: string, value: string, goal: string, met: boolean | null];

function printTable(rows: Row[]) {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), 6));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ');
  process.stdout.write('\n' + line(['figure', 'value', 'goal', 'met?']) + '\n');
  process.stdout.write(line(widths.map((w) => '-'.repeat(w)).concat('----')) + '\n');
  for (const r of rows) process.stdout.write(line([r[0], r[1], r[2], r[3] === null ? 'n/a' : r[3] ? 'yes' : 'NO']) + '\n');
  process.stdout.write('\n');
}

async function main() {
  const started = Date.now();
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('building for production (npx remix build)…');
    execSync('npx remix build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ikenbako-bench-'));
  try {
    const databasePath = path.join(tmp, 'bench.db');
    log(`seeding ${OPINIONS.toLocaleString('en')} opinions and 2,000 replies into ${databasePath}…`);
    const { seeded, items, adminCreated } = await prepareDatabase(databasePath);
    log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s`);

    const server = await startChild(
      ['server.js'],
      {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        PUBLIC_URL: 'http://localhost:3000',
        DATABASE_PATH: databasePath,
        MAIL_DIR: path.join(tmp, 'mail'),
        SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
        RATE_LIMIT_OPINIONS: '100000000',
      },
      /"msg":"listening","url":"http:\/\/[^"]+:(\d+)"/,
      'server',
    );
    const appUrl = `http://127.0.0.1:${server.port}`;
    log(`server listening at ${appUrl} (pid ${server.proc.pid})`);

    const errors: Record<string, string> = {};
    const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
      try {
        return await fn();
      } catch (error) {
        errors[name] = (error as Error).message.split('\n')[0];
        log(`${name}: skipped — ${errors[name]}`);
        return null;
      }
    };

    const bytes = ONLY.has('bytes') ? await attempt('bytes', () => measureBytes(appUrl)) : null;
    if (ONLY.has('report')) log('report page: app vs node:http baseline…');
    const reportPage = ONLY.has('report') ? await attempt('reportPage', () => measureReportPage(appUrl, tmp)) : null;
    if (ONLY.has('search')) log('staff search…');
    const staff = adminCreated && ONLY.has('search') ? await attempt('staff', () => measureStaff(appUrl)) : null;
    if (ONLY.has('opinions')) log('opinions: app vs node:http + better-sqlite3 baseline…');
    const opinions = ONLY.has('opinions') ? await attempt('opinions', () => measureOpinions(appUrl, tmp, items)) : null;
    const memory = { rssMb: rssMb(server.proc.pid!) };
    await stopChild(server.proc);

    const results = {
      date: new Date().toISOString(),
      machine: machine(),
      reportPage: reportPage && { ...reportPage, ratio: round(reportPage.rps / reportPage.baselineRps, 3), connections: 50 },
      opinions: opinions && { ...opinions, ratio: round(opinions.perSecond / opinions.baselinePerSecond, 3), connections: 16 },
      search: staff?.search ?? null,
      inbox: staff?.inbox ?? null,
      bytes,
      memory,
      settings: { opinionsSeeded: seeded.opinions, repliesSeeded: seeded.replies, runs: RUNS, durationSeconds: DURATION, gzipLevel: GZIP_LEVEL },
      skipped: errors,
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    // A partial run (BENCH_ONLY) must not overwrite the full figures the README quotes.
    const resultFile = process.env.BENCH_ONLY ? 'partial.json' : 'latest.json';
    fs.writeFileSync(path.join(ROOT, 'bench/results', resultFile), JSON.stringify(results, null, 2) + '\n');

    const v = (x: number | null | undefined, unit: string) => (x === null || x === undefined ? 'n/a' : `${x}${unit}`);
    const met = (x: number | null | undefined, ok: (n: number) => boolean) => (x === null || x === undefined ? null : ok(x));
    const rp = results.reportPage;
    const op = results.opinions;
    printTable([
      ['report page req/s (50 conn.)', v(rp?.rps, ''), '—', null],
      ['report page baseline req/s', v(rp?.baselineRps, ''), '—', null],
      ['report page ratio', v(rp?.ratio, ''), '≥ 0.5', met(rp?.ratio, (x) => x >= 0.5)],
      ['report page p50', v(rp?.p50Ms, ' ms'), '—', null],
      ['report page p99', v(rp?.p99Ms, ' ms'), '< 25 ms', met(rp?.p99Ms, (x) => x < 25)],
      ['opinions/s (16 conn.)', v(op?.perSecond, ''), '≥ 500', met(op?.perSecond, (x) => x >= 500)],
      ['opinions baseline/s', v(op?.baselinePerSecond, ''), '—', null],
      ['opinions ratio', v(op?.ratio, ''), '—', null],
      ['opinions p99', v(op?.p99Ms, ' ms'), '—', null],
      ['opinions not 2xx/3xx', v(op?.nonSuccess, ''), '0', met(op?.nonSuccess, (x) => x === 0)],
      ['search p95 (3+ chars)', v(results.search?.p95Ms, ' ms'), '< 50 ms', met(results.search?.p95Ms, (x) => x < 50)],
      ['search p95 (1–2 chars)', v(results.search?.shortP95Ms, ' ms'), '< 200 ms', met(results.search?.shortP95Ms, (x) => x < 200)],
      ['inbox p95', v(results.inbox?.p95Ms, ' ms'), '< 50 ms', met(results.inbox?.p95Ms, (x) => x < 50)],
      [`HTML gzip -${GZIP_LEVEL}`, v(bytes?.htmlGzip, ' B'), '—', null],
      [`JS gzip -${GZIP_LEVEL} (${bytes?.jsFiles.length ?? 0} files)`, v(bytes?.jsGzip, ' B'), '≤ 100 KB', met(bytes?.jsGzip, (x) => x <= 100 * 1024)],
      ['server RSS after runs', v(memory.rssMb, ' MB'), '—', null],
    ]);
    const m = results.machine;
    log(`${m.cpus} × ${m.cpuModel}, ${m.totalMemoryMb} MB, node ${m.node}, ${m.os}; ${results.benchSeconds} s`);
    log(`wrote bench/results/${resultFile}`);
  } finally {
    await stopAll();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
