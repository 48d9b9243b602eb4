// `npm run bench`: builds for production, seeds a temporary database with
// realistic data, starts the real server and measures it from outside with
// wrk (a C load generator), against baselines run on the same machine in the
// same run: a bare node:http server answering the same bytes, nginx answering
// them (the generator's own ceiling), a bare node:http + better-sqlite3 insert.
// Prints one table and writes bench/results/latest.json.
//
// Knobs (environment):
//   BENCH_OPINIONS   opinions seeded before measuring (100000). 1000000 for search at
//                    scale: seeding takes about a minute more, the rest is the same.
//   BENCH_DURATION   seconds per wrk run (6)     BENCH_RUNS   runs per figure, median kept (3)
//   BENCH_WRK_THREADS  wrk threads (1: the server is one Node process, wrk gets the other core)
//   BENCH_ONLY       comma list of bytes,report,lighthouse,mixed,search,opinions,attachments,postgres (default all);
//                    a partial run writes bench/results/partial.json
//   BENCH_SKIP_BUILD=1, BENCH_KEEP=1 (keep the temporary folder),
//   BENCH_LIGHTHOUSE_FROM  folder to resolve lighthouse from (default: the project)
//   BENCH_LIGHTHOUSE_RUNS  Lighthouse runs, medians kept (default 3)
//   BENCH_DATABASE_URL  PostgreSQL for the postgres part (bench/postgres.ts; skipped when none answers)
//   BENCH_PG_RUNS    runs per PostgreSQL figure (1)
//   BENCH_SERVER_NODE_ARGS  node flags for the server only, to profile it (e.g. --cpu-prof --cpu-prof-dir=/tmp/p)
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { importNotice } from '../app/models/notices.server';
import { migrateToLatest, openSqliteDatabase } from '../app/server/db.server';
import { measureLighthouse, type LighthouseFigures } from './lighthouse';
import { nginxInstalled, startNginx } from './nginx';
import { seedDatabase } from './seed';
import { ADMIN, measureStaff } from './staff';
import { serverNodeFlags } from '../scripts/server-node-flags.mjs';
import { childrenRssMb, cpuMs, getRaw, log, median, rssMb, round } from './util';
import { opinionLua, postHeaders } from './opinion-lua';
import { attachmentLua, uploadHeaders, writeBenchPhoto } from './attachments';
import { runWrk, wrkVersion, type WrkResult, type WrkScript } from './wrk';
import { measurePostgres } from './postgres';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SLUG = 'xiuzhou-inspection-2023';
const NOTICE_FILE = path.join(ROOT, 'db/content/xiuzhou-inspection-2023.txt');
const OPINIONS = Number(process.env.BENCH_OPINIONS ?? 100_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const THREADS = Number(process.env.BENCH_WRK_THREADS ?? 1);
const WARMUP = 2;
const GZIP_LEVEL = 9;
const PARTS = ['bytes', 'report', 'lighthouse', 'mixed', 'search', 'opinions', 'attachments', 'postgres'];
const ONLY = new Set((process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((s) => s.trim()));
/** As browsers ask for the page. */
const BROWSER_ENCODING = 'gzip, deflate, br';
const REPORT_CONNECTIONS = 50;
const MIXED_CONNECTIONS = 8;
const MIXED_WRITERS = 32;
const MIXED_WRITE_RATE = 200;
const OPINION_CONNECTIONS = 16;
/** Each upload is a few tens of ms of image work on a 2-core machine: a handful of connections saturates it. */
const ATTACHMENT_CONNECTIONS = 4;
/** A baseline this close to nginx's figure (or a wrk thread this busy) may be wrk's ceiling, not the server's. */
const GENERATOR_BOUND = 0.9;

// ---------------------------------------------------------------------------
// Child processes: every one is stopped at the end, even on error or Ctrl-C.

const children = new Set<ChildProcess>();

function track(proc: ChildProcess): ChildProcess {
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  return proc;
}

type Child = { proc: ChildProcess; port: number; output: () => string };

function startChild(args: string[], env: Record<string, string | undefined>, ready: RegExp, label: string): Promise<Child> {
  const proc = track(spawn(process.execPath, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] }));
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

const startStatic = (file: string, contentType: string, encoding?: string) =>
  startChild(
    ['--import', 'tsx', 'bench/baseline-static.ts', file, contentType, ...(encoding ? [encoding] : [])],
    { PATH: process.env.PATH },
    /LISTENING (\d+)/,
    'static baseline',
  );

// ---------------------------------------------------------------------------

async function prepareDatabase(file: string) {
  const { db, sqlite } = openSqliteDatabase(file);
  await migrateToLatest(db);
  await importNotice(db, fs.readFileSync(NOTICE_FILE), SLUG);
  const seeded = seedDatabase(sqlite, { opinions: OPINIONS, replies: 2000 });
  const items = sqlite
    .prepare(
      `select s.number as section, i.number as item from sections s join items i on i.section_id = s.id
       where s.revision_id = (select max(id) from report_revisions)`,
    )
    .all() as Array<{ section: number; item: number }>;

  let adminCreated = false;
  try {
    // Imported by path so that the bench still type-checks if the module moves.
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

/** A run's latency for the log: wrk has none when nothing was answered within the run. */
const latency = (ms: number) => (Number.isFinite(ms) ? `${round(ms)} ms` : 'none answered');

type Runs = { app: WrkResult[]; base: WrkResult[]; nginx: WrkResult[] };

const med = (rs: WrkResult[], key: 'rps' | 'p50Ms' | 'p99Ms' | 'cpuPerThread') => (rs.length ? median(rs.map((r) => r[key])) : NaN);

/**
 * A baseline is "generator-bound" when it is within 10 % of what wrk drives
 * through nginx serving the same bytes, or when wrk's thread was saturated
 * while measuring it: then its figure is wrk's, and a ratio against it says
 * nothing about the app.
 */
function generatorBound(base: WrkResult[], nginx: WrkResult[]): { bound: boolean; why: string | null } {
  const cpu = med(base, 'cpuPerThread');
  if (cpu >= GENERATOR_BOUND) return { bound: true, why: `wrk thread ${Math.round(cpu * 100)}% busy` };
  if (nginx.length && med(base, 'rps') >= GENERATOR_BOUND * med(nginx, 'rps')) {
    return { bound: true, why: `baseline within ${Math.round((1 - GENERATOR_BOUND) * 100)}% of nginx` };
  }
  return { bound: false, why: null };
}

/** The report page: as browsers fetch it and without compression, against node:http and nginx with the same bytes. */
/** A kept page's figures beside its `node:http` baseline, under latest.json's names (`listRps`, `repliesRatio`, …). */
function keptPageFigures<P extends string>(prefix: P, app: WrkResult[], base: WrkResult[], bytes: number) {
  const figures = {
    Rps: round(med(app, 'rps')),
    BaselineRps: round(med(base, 'rps')),
    Ratio: round(med(app, 'rps') / med(base, 'rps'), 3),
    P99Ms: round(med(app, 'p99Ms'), 2),
    BaselineP99Ms: round(med(base, 'p99Ms'), 2),
    CompressedBytes: bytes,
  };
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [prefix + name, value])) as {
    [K in keyof typeof figures as `${P}${K}`]: number;
  };
}

async function measureReportPage(appUrl: string, tmp: string) {
  const pageUrl = `${appUrl}/reports/${SLUG}`;
  const compressed = await getRaw(pageUrl, { 'Accept-Encoding': BROWSER_ENCODING, Accept: 'text/html' });
  const identity = await getRaw(pageUrl, { Accept: 'text/html' });
  if (compressed.status !== 200 || identity.status !== 200) throw new Error(`report page answered ${compressed.status}/${identity.status}`);
  const encoding = String(compressed.headers['content-encoding'] ?? '') || null;
  const contentType = String(identity.headers['content-type'] ?? 'text/html');
  const compressedFile = path.join(tmp, 'report.html.compressed');
  const identityFile = path.join(tmp, 'report.html');
  fs.writeFileSync(compressedFile, compressed.body);
  fs.writeFileSync(identityFile, identity.body);
  // The other pages the page cache keeps, each beside a bare node:http server
  // answering its same compressed bytes: the list of reports (`/`), a surge's
  // other way in, and a section's page of replies, where every reply's email links.
  const keptPage = async (name: string, urlPath: string) => {
    const answer = await getRaw(`${appUrl}${urlPath}`, { 'Accept-Encoding': BROWSER_ENCODING, Accept: 'text/html' });
    if (answer.status !== 200) throw new Error(`${name} page answered ${answer.status}`);
    const file = path.join(tmp, `${name}.html.compressed`);
    fs.writeFileSync(file, answer.body);
    return { name, urlPath, bytes: answer.body.length, base: await startStatic(file, contentType, String(answer.headers['content-encoding'] ?? '') || undefined) };
  };
  const list = await keptPage('list', '/');
  const replies = await keptPage('replies', `/reports/${SLUG}/sections/1/replies`);

  const baseCompressed = await startStatic(compressedFile, contentType, encoding ?? undefined);
  const baseIdentity = await startStatic(identityFile, contentType);
  let nginx: { proc: ChildProcess; url: string } | null = null;
  if (nginxInstalled()) {
    nginx = await startNginx(tmp, [
      { path: '/compressed', file: compressedFile, contentType, contentEncoding: encoding ?? undefined },
      { path: '/identity', file: identityFile, contentType },
    ]);
    track(nginx.proc);
  } else {
    log('report page: nginx not installed (apt-get install -y nginx-light): no ceiling reference');
  }

  const browser: WrkScript = { headers: { 'Accept-Encoding': BROWSER_ENCODING, Accept: 'text/html' } };
  const plain: WrkScript = { headers: { Accept: 'text/html' } };
  const targets = [
    { name: 'app compressed', url: pageUrl, script: browser },
    // A client-side navigation's loader data (single fetch), kept by the page cache too.
    { name: 'app loader data', url: `${pageUrl}.data`, script: browser },
    { name: 'node:http compressed', url: `http://127.0.0.1:${baseCompressed.port}/reports/${SLUG}`, script: browser },
    ...(nginx ? [{ name: 'nginx compressed', url: `${nginx.url}/compressed`, script: browser }] : []),
    { name: 'app identity', url: pageUrl, script: plain },
    { name: 'node:http identity', url: `http://127.0.0.1:${baseIdentity.port}/reports/${SLUG}`, script: plain },
    ...(nginx ? [{ name: 'nginx identity', url: `${nginx.url}/identity`, script: plain }] : []),
    ...[list, replies].flatMap((kept) => [
      { name: `app ${kept.name}`, url: `${appUrl}${kept.urlPath}`, script: browser },
      { name: `node:http ${kept.name}`, url: `http://127.0.0.1:${kept.base.port}${kept.urlPath}`, script: browser },
    ]),
  ];
  const results = new Map<string, WrkResult[]>(targets.map((t) => [t.name, []]));
  const run = (t: (typeof targets)[number], seconds: number) =>
    runWrk({ url: t.url, connections: REPORT_CONNECTIONS, seconds, threads: THREADS, script: t.script, dir: tmp, label: t.name });
  try {
    for (const t of targets) await run(t, WARMUP);
    for (let i = 0; i < RUNS; i++) {
      const line: string[] = [];
      for (const t of targets) {
        const r = await run(t, DURATION);
        results.get(t.name)!.push(r);
        line.push(`${t.name} ${Math.round(r.rps)}/s p99 ${latency(r.p99Ms)}`);
      }
      log(`report page run ${i + 1}: ${line.join('; ')}`);
    }
  } finally {
    await Promise.all([stopChild(baseCompressed.proc), stopChild(baseIdentity.proc), stopChild(list.base.proc), stopChild(replies.base.proc), nginx ? stopChild(nginx.proc) : null]);
  }
  const get = (name: string) => results.get(name) ?? [];
  const runs = (kind: 'compressed' | 'identity'): Runs => ({ app: get(`app ${kind}`), base: get(`node:http ${kind}`), nginx: get(`nginx ${kind}`) });
  const gz = runs('compressed');
  const id = runs('identity');
  const data = get('app loader data');
  const listApp = get('app list');
  const listBase = get('node:http list');
  const repliesApp = get('app replies');
  const repliesBase = get('node:http replies');
  const failures = [...gz.app, ...id.app, ...data, ...listApp, ...repliesApp].reduce((n, r) => n + r.socketErrors + r.statusErrors, 0);
  const gzBound = generatorBound(gz.base, gz.nginx);
  const idBound = generatorBound(id.base, id.nginx);
  return {
    summary: {
      // Unprefixed: the page without compression (as before); gzip*: as browsers fetch it.
      rps: round(med(id.app, 'rps')),
      baselineRps: round(med(id.base, 'rps')),
      ratio: round(med(id.app, 'rps') / med(id.base, 'rps'), 3),
      p50Ms: round(med(id.app, 'p50Ms'), 2),
      p99Ms: round(med(id.app, 'p99Ms'), 2),
      baselineP99Ms: round(med(id.base, 'p99Ms'), 2),
      nginxRps: nginx ? round(med(id.nginx, 'rps')) : null,
      nginxP99Ms: nginx ? round(med(id.nginx, 'p99Ms'), 2) : null,
      gzipRps: round(med(gz.app, 'rps')),
      gzipBaselineRps: round(med(gz.base, 'rps')),
      gzipRatio: round(med(gz.app, 'rps') / med(gz.base, 'rps'), 3),
      gzipP50Ms: round(med(gz.app, 'p50Ms'), 2),
      gzipP99Ms: round(med(gz.app, 'p99Ms'), 2),
      gzipBaselineP99Ms: round(med(gz.base, 'p99Ms'), 2),
      gzipNginxRps: nginx ? round(med(gz.nginx, 'rps')) : null,
      gzipNginxP99Ms: nginx ? round(med(gz.nginx, 'p99Ms'), 2) : null,
      loaderDataRps: round(med(data, 'rps')),
      loaderDataP99Ms: round(med(data, 'p99Ms'), 2),
      ...keptPageFigures('list', listApp, listBase, list.bytes),
      // Section 1's replies (the seed's replies are spread over the sections), its first page.
      ...keptPageFigures('replies', repliesApp, repliesBase, replies.bytes),
      acceptEncoding: BROWSER_ENCODING,
      contentEncoding: encoding,
      compressedBytes: compressed.body.length,
      htmlBytes: identity.body.length,
      nonSuccess: failures,
      generator: 'wrk' as const,
      generatorBound: { gzip: gzBound.bound, identity: idBound.bound },
      generatorBoundWhy: { gzip: gzBound.why, identity: idBound.why },
      wrkCpuPerThread: {
        app: round(med(gz.app, 'cpuPerThread'), 2),
        baseline: round(med(gz.base, 'cpuPerThread'), 2),
        nginx: nginx ? round(med(gz.nginx, 'cpuPerThread'), 2) : null,
      },
      connections: REPORT_CONNECTIONS,
      wrkThreads: THREADS,
    },
    gz,
    id,
  };
}

const non303 = (r: WrkResult) => r.socketErrors + Object.entries(r.codes ?? {}).reduce((n, [code, count]) => n + (code === '303' ? 0 : count), 0);
const accepted = (r: WrkResult) => (r.codes?.['303'] ?? 0) / r.seconds;

/**
 * A read-only look at the server's outbox, one connection for the whole
 * bench. `pending()`: messages it has yet to deliver and may deliver now (one
 * waiting for a retry is not counted, so a failed send cannot hold the bench).
 * `drainSeconds()`: seconds until none is left (checked every 100 ms), or null
 * after `limitMs` or when the database cannot be read. An opinion thread
 * delivers mail in the gaps between posts (decision 018, twenty-sixth
 * amendment): a flood's mail goes out after it.
 */
function watchOutbox(databasePath: string) {
  const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
  const due = sqlite.prepare("select count(*) from outbox_messages where status = 'pending' and next_attempt_at <= ?").pluck();
  const pending = () => Number(due.get(new Date().toISOString()));
  const drainSeconds = async (limitMs = 180_000): Promise<number | null> => {
    const from = Date.now();
    try {
      while (pending() > 0) {
        if (Date.now() - from > limitMs) return null;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } catch (error) {
      log(`outbox: could not be read (${(error as Error).message.split('\n')[0]})`);
      return null;
    }
    return round((Date.now() - from) / 1000, 1);
  };
  return { pending, drainSeconds, close: () => sqlite.close() };
}

type OutboxWatch = ReturnType<typeof watchOutbox>;

async function measureOpinions(appUrl: string, serverPid: number, tmp: string, outbox: OutboxWatch, items: Array<{ section: number; item: number }>, stored: number) {
  const baseline = await startChild(
    ['--import', 'tsx', 'bench/baseline-insert.ts', path.join(tmp, 'baseline.db')],
    { PATH: process.env.PATH },
    /LISTENING (\d+)/,
    'insert baseline',
  );
  const baseUrl = `http://127.0.0.1:${baseline.port}`;
  const run = (url: string, seconds: number, label: string) =>
    runWrk({
      url: `${url}/reports/${SLUG}/opinions`,
      connections: OPINION_CONNECTIONS,
      seconds,
      threads: THREADS,
      script: { headers: postHeaders(url), lua: opinionLua(SLUG, items) },
      dir: tmp,
      label,
    });
  const app: WrkResult[] = [];
  const base: WrkResult[] = [];
  const cpu: Array<{ process: number; mainThread: number }> = [];
  const mail: Array<{ pending: number; drainSeconds: number | null; cpuMsPerOpinion: number }> = [];
  try {
    const warm = await run(appUrl, WARMUP, 'opinions app');
    if (!warm.codes?.['303']) throw new Error(`opinions endpoint accepted nothing: status codes ${JSON.stringify(warm.codes)}`);
    await run(baseUrl, WARMUP, 'opinions baseline');
    for (let i = 0; i < RUNS; i++) {
      const before = cpuMs(serverPid);
      app.push(await run(appUrl, DURATION, 'opinions app'));
      const after = cpuMs(serverPid);
      const stored = app[i].codes?.['303'] ?? 0;
      cpu.push({ process: (after.process - before.process) / stored, mainThread: (after.mainThread - before.mainThread) / stored });
      // The run's mail still to go out, how long it takes and the CPU it
      // costs, before the baseline runs (on a quiet server, as before).
      const pending = outbox.pending();
      const drainSeconds = await outbox.drainSeconds();
      const drained = cpuMs(serverPid);
      mail.push({ pending, drainSeconds, cpuMsPerOpinion: (drained.process - after.process) / stored });
      base.push(await run(baseUrl, DURATION, 'opinions baseline'));
      log(
        `opinions run ${i + 1}: app ${round(accepted(app[i]))}/s p99 ${latency(app[i].p99Ms)} (codes ${JSON.stringify(app[i].codes)}), ` +
          `CPU ${round(cpu[i].process, 2)} ms per opinion (main thread ${round(cpu[i].mainThread, 2)}); ` +
          `mail pending at its end ${mail[i].pending}, all sent ${mail[i].drainSeconds ?? '> 180'} s later for ${round(mail[i].cpuMsPerOpinion, 2)} ms more CPU per opinion; ` +
          `baseline ${round(accepted(base[i]))}/s p99 ${latency(base[i].p99Ms)}`,
      );
    }
  } finally {
    await stopChild(baseline.proc);
  }
  const failed = app.reduce((n, r) => n + non303(r), 0);
  if (failed) log(`opinions: ${failed} answers were not 303: ${JSON.stringify(app.map((r) => r.codes))}`);
  const bound = generatorBound(base, []);
  return {
    summary: {
      perSecond: round(median(app.map(accepted))),
      baselinePerSecond: round(median(base.map(accepted))),
      ratio: round(median(app.map(accepted)) / median(base.map(accepted)), 3),
      p99Ms: round(med(app, 'p99Ms'), 2),
      baselineP99Ms: round(med(base, 'p99Ms'), 2),
      nonSuccess: failed,
      non303: failed,
      statusCodes: app.map((r) => r.codes),
      storedBefore: stored,
      connections: OPINION_CONNECTIONS,
      generator: 'wrk' as const,
      generatorBound: bound.bound,
      generatorBoundWhy: bound.why,
      wrkCpuPerThread: { app: round(med(app, 'cpuPerThread'), 2), baseline: round(med(base, 'cpuPerThread'), 2) },
      // The server's CPU (all threads; the image child is a process of its own) per stored opinion.
      cpuMsPerOpinion: round(median(cpu.map((c) => c.process)), 2),
      mainThreadCpuMsPerOpinion: round(median(cpu.map((c) => c.mainThread)), 2),
      // Mail is delivered in the gaps between posts: what a run left in the outbox and when it was all sent.
      mailPendingAfterRun: median(mail.map((m) => m.pending)),
      mailDrainSeconds: mail.some((m) => m.drainSeconds === null) ? null : round(median(mail.map((m) => m.drainSeconds!)), 1),
      // The server's CPU from a run's end until its mail was all sent, per opinion of the run.
      mailCpuMsPerOpinion: round(median(mail.map((m) => m.cpuMsPerOpinion)), 2),
    },
    app,
    base,
  };
}

/**
 * Opinions each with one ~1 MB photo (multipart, as the form posts without
 * JavaScript), against a bare node:http server doing the same essential work
 * (bench/baseline-upload.ts); the server's RSS sampled throughout.
 */
async function measureAttachments(appUrl: string, pid: number, tmp: string, sections: number[]) {
  const photo = path.join(tmp, 'bench-photo.jpg');
  const photoBytes = await writeBenchPhoto(photo);
  const baseline = await startChild(
    ['--import', 'tsx', 'bench/baseline-upload.ts', path.join(tmp, 'baseline-upload')],
    { PATH: process.env.PATH },
    /LISTENING (\d+)/,
    'upload baseline',
  );
  const baseUrl = `http://127.0.0.1:${baseline.port}`;
  const run = (url: string, seconds: number, label: string) =>
    runWrk({
      url: `${url}/reports/${SLUG}/opinions`,
      connections: ATTACHMENT_CONNECTIONS,
      seconds,
      threads: THREADS,
      script: { headers: uploadHeaders(url), lua: attachmentLua(SLUG, photo, sections) },
      dir: tmp,
      label,
    });
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  // The image child's (decision 019): its memory is not the server's, and it exits when idle.
  let childRssPeak = 0;
  const app: WrkResult[] = [];
  const base: WrkResult[] = [];
  try {
    // Longer than the other parts' warm-up: the first uploads load sharp and
    // libvips, and one answer takes a good part of a second on a busy machine.
    const warm = await run(appUrl, WARMUP * 3, 'attachments app');
    const warmCodes = Object.keys(warm.codes ?? {});
    if (warmCodes.length && !warm.codes?.['303']) throw new Error(`opinions with a photo: nothing accepted, status codes ${JSON.stringify(warm.codes)}`);
    await run(baseUrl, WARMUP * 3, 'attachments baseline');
    for (let i = 0; i < RUNS; i++) {
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssMb(pid));
        childRssPeak = Math.max(childRssPeak, childrenRssMb(pid));
      }, 100);
      try {
        app.push(await run(appUrl, DURATION, 'attachments app'));
      } finally {
        clearInterval(sampler);
      }
      base.push(await run(baseUrl, DURATION, 'attachments baseline'));
      log(
        `attachments run ${i + 1}: app ${round(accepted(app[i]))}/s p99 ${latency(app[i].p99Ms)} (codes ${JSON.stringify(app[i].codes)}); ` +
          `baseline ${round(accepted(base[i]))}/s p99 ${latency(base[i].p99Ms)}; server RSS peak so far ${rssPeak} MB`,
      );
    }
  } finally {
    await stopChild(baseline.proc);
  }
  const failed = app.reduce((n, r) => n + non303(r), 0);
  return {
    perSecond: round(median(app.map(accepted))),
    baselinePerSecond: round(median(base.map(accepted))),
    ratio: round(median(app.map(accepted)) / median(base.map(accepted)), 3),
    p99Ms: round(med(app, 'p99Ms'), 2),
    baselineP99Ms: round(med(base, 'p99Ms'), 2),
    non303: failed,
    statusCodes: app.map((r) => r.codes),
    photoBytes,
    connections: ATTACHMENT_CONNECTIONS,
    rssBeforeMb: rssBefore,
    rssPeakMb: rssPeak,
    imageChildRssPeakMb: childRssPeak,
  };
}

/** Report page reads at 8 connections, alone and while ~200 opinions/s are written by a second wrk. */
async function measureMixed(appUrl: string, tmp: string, items: Array<{ section: number; item: number }>) {
  const pageUrl = `${appUrl}/reports/${SLUG}`;
  const read = (seconds: number, label: string) =>
    runWrk({
      url: pageUrl,
      connections: MIXED_CONNECTIONS,
      seconds,
      threads: 1,
      script: { headers: { 'Accept-Encoding': BROWSER_ENCODING, Accept: 'text/html' } },
      dir: tmp,
      label,
    });
  const write = (seconds: number) =>
    runWrk({
      url: `${appUrl}/reports/${SLUG}/opinions`,
      connections: MIXED_WRITERS,
      seconds,
      threads: 1,
      script: { headers: postHeaders(appUrl), lua: opinionLua(SLUG, items, { pace: { perSecond: MIXED_WRITE_RATE, connections: MIXED_WRITERS } }) },
      dir: tmp,
      label: 'mixed writer',
    });
  const alone: WrkResult[] = [];
  const writing: WrkResult[] = [];
  const writers: WrkResult[] = [];
  // Warm-ups, as for every other part: the opinion thread's code is compiled
  // during its first thousand or so posts (V8's compiler threads, at the
  // main thread's priority), and a first run without this read twice the
  // main thread's wait for a core of the runs after it (~300 against
  // ~100–150 ms a second, twenty-second session). Then the reads'.
  const warmWriter = await write(WARMUP * 3);
  log(`mixed writer warm-up: ${round(accepted(warmWriter))} opinions/s for ${WARMUP * 3} s`);
  await read(WARMUP, 'mixed read');
  for (let i = 0; i < RUNS; i++) {
    alone.push(await read(DURATION, 'mixed read'));
    // The writer starts first and ends last, so that every read overlaps writing;
    // its first two seconds, while the pacing settles, are before the reads.
    const writer = write(DURATION + 4);
    await new Promise((r) => setTimeout(r, 2000));
    writing.push(await read(DURATION, 'mixed read'));
    writers.push(await writer);
    log(
      `mixed run ${i + 1}: reads alone ${Math.round(alone[i].rps)}/s p99 ${latency(alone[i].p99Ms)}; ` +
        `while writing ${Math.round(writing[i].rps)}/s p99 ${latency(writing[i].p99Ms)}; ` +
        `writes ${round(accepted(writers[i]))}/s (codes ${JSON.stringify(writers[i].codes)})`,
    );
  }
  const failures = [...alone, ...writing].reduce((n, r) => n + r.socketErrors + r.statusErrors, 0);
  return {
    readRpsAlone: round(med(alone, 'rps')),
    readRpsWriting: round(med(writing, 'rps')),
    readRpsRatio: round(med(writing, 'rps') / med(alone, 'rps'), 3),
    readP99MsAlone: round(med(alone, 'p99Ms'), 2),
    readP99MsWriting: round(med(writing, 'p99Ms'), 2),
    readP99Ratio: round(med(writing, 'p99Ms') / med(alone, 'p99Ms'), 2),
    opinionsPerSecond: round(median(writers.map(accepted))),
    targetOpinionsPerSecond: MIXED_WRITE_RATE,
    writesNon303: writers.reduce((n, r) => n + non303(r), 0),
    readFailures: failures,
    readConnections: MIXED_CONNECTIONS,
    writerConnections: MIXED_WRITERS,
    pacing: `a second wrk process, ${MIXED_WRITERS} connections, each waiting a Lua delay() corrected once a second toward ${MIXED_WRITE_RATE}/s in all; the rate is the 303s it got over its whole run`,
    generator: 'wrk' as const,
    wrkCpuPerThread: round(med(writing, 'cpuPerThread'), 2),
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

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
}

// ---------------------------------------------------------------------------
// The table: each figure, its baseline from the same run, the ratio, a flag
// where the baseline may be the generator's ceiling, and the goal where one is set.

type Row = { figure: string; value: string; baseline?: string; ratio?: string; flag?: string; goal?: string; met?: boolean | null };

function printTable(rows: Row[]) {
  const header = { figure: 'figure', value: 'value', baseline: 'baseline (same run)', ratio: 'ratio', flag: 'flag', goal: 'goal', met: 'met?' };
  const cells = (r: Row | typeof header) => [
    r.figure,
    r.value,
    r.baseline ?? '—',
    r.ratio ?? '—',
    r.flag ?? '',
    r.goal ?? '—',
    typeof r.met === 'string' ? r.met : r.met === undefined || r.met === null ? '' : r.met ? 'yes' : 'NO',
  ];
  const all = [cells(header), ...rows.map(cells)];
  const widths = all[0].map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write('\n' + line(all[0]) + '\n' + line(widths.map((w) => '-'.repeat(w))) + '\n');
  for (const c of all.slice(1)) process.stdout.write(line(c) + '\n');
  process.stdout.write('\n');
}

const fmt = (x: number | null | undefined, unit = '') =>
  x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x === Infinity ? `> ${DURATION} s (no answer in a run)` : `${x}${unit}`;
const met = (x: number | null | undefined, ok: (n: number) => boolean) => (x === null || x === undefined || Number.isNaN(x) ? null : ok(x));

async function main() {
  const started = Date.now();
  const wrk = wrkVersion();
  if (!wrk) {
    process.stderr.write('[bench] wrk is not installed; the bench measures HTTP with it: apt-get install -y wrk\n');
    process.exit(1);
  }
  log(`load generator: ${wrk}, ${THREADS} thread(s)`);
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('building for production (npm run build)…');
    execSync('npm run build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ikenbako-bench-'));
  try {
    const databasePath = path.join(tmp, 'bench.db');
    log(`seeding ${OPINIONS.toLocaleString('en')} opinions and 2,000 replies into ${databasePath}…`);
    const { seeded, items, adminCreated } = await prepareDatabase(databasePath);
    log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s (${Object.entries(seeded.phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`);

    const serverEnv = {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        PUBLIC_URL: 'http://localhost:3000',
        DATABASE_PATH: databasePath,
        MAIL_DIR: path.join(tmp, 'mail'),
        SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
        RATE_LIMIT_OPINIONS: '100000000',
        // The bench admin signs in with a password alone (the default asks admins for a second factor).
        REQUIRE_2FA: 'none',
        // As `npm start` and deploy/ikenbako@.service set it (README, "Memory").
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
        // Not set by default (decision 019); passed on when the bench's caller sets it, to compare.
        MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_,
        // The server's default (1) unless told, to compare (decision 018).
        OPINION_THREADS: process.env.OPINION_THREADS,
    };
    const listening = /"msg":"listening","url":"http:\/\/[^"]+:(\d+)"/;
    // `npm start`'s flags (decision 019), then the caller's (e.g. a profiler).
    const startFlags = serverNodeFlags();
    const nodeArgs = [...startFlags, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    const server = await startChild([...nodeArgs, 'server.js'], serverEnv, listening, 'server');
    const outbox = watchOutbox(databasePath);
    const appUrl = `http://127.0.0.1:${server.port}`;
    const pid = server.proc.pid!;
    log(`server listening at ${appUrl} (pid ${pid})`);

    const errors: Record<string, string> = {};
    const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
      if (!ONLY.has(name)) return null;
      try {
        return await fn();
      } catch (error) {
        errors[name] = (error as Error).message.split('\n')[0];
        log(`${name}: skipped — ${errors[name]}`);
        return null;
      }
    };

    const bytes = await attempt('bytes', () => measureBytes(appUrl));
    if (ONLY.has('report')) log(`report page at ${REPORT_CONNECTIONS} connections: app vs node:http vs nginx, same bytes, ${RUNS} × ${DURATION} s…`);
    const report = await attempt('report', () => measureReportPage(appUrl, tmp));
    if (ONLY.has('lighthouse')) log('lighthouse (mobile preset) on the report page…');
    const lh = await attempt('lighthouse', () => measureLighthouse(ROOT, `${appUrl}/reports/${SLUG}`));
    let lighthouse: LighthouseFigures | null = null;
    if (lh && 'skipped' in lh) {
      errors.lighthouse = lh.skipped;
      log(`lighthouse: skipped: ${lh.skipped}`);
    } else lighthouse = lh;
    // Readers of the JSON find the keys either way.
    const lighthouseJson = lighthouse ?? {
      skipped: errors.lighthouse ?? 'not run',
      performance: null,
      tbtMs: null,
      accessibility: null,
      bestPractices: null,
      seo: null,
    };
    if (lighthouse?.problems.length) {
      log(`lighthouse: ${lighthouse.problems.length} audit(s) errored (Chromium ${lighthouse.chromium}), e.g. ${lighthouse.problems[0]}`);
    }
    if (ONLY.has('mixed')) log(`reads while writing: ${MIXED_CONNECTIONS} reading connections, ~${MIXED_WRITE_RATE} opinions/s…`);
    const mixed = await attempt('mixed', () => measureMixed(appUrl, tmp, items));
    if (mixed) {
      // The staff figures are taken on a quiet server: the writers' mail goes out first.
      const drained = await outbox.drainSeconds();
      log(`mixed: its mail all sent ${drained ?? '> 180'} s after the writers stopped`);
    }
    if (ONLY.has('search') && adminCreated) log('staff console, one connection: inbox, filtered inbox, search, export…');
    const staff = adminCreated ? await attempt('search', () => measureStaff(appUrl, pid, seeded.sections)) : null;
    if (ONLY.has('opinions')) log(`opinions at ${OPINION_CONNECTIONS} connections: app vs node:http + better-sqlite3…`);
    const opinions = await attempt('opinions', () => measureOpinions(appUrl, pid, tmp, outbox, items, seeded.opinions));
    if (ONLY.has('attachments')) log(`opinions with one ~1 MB photo at ${ATTACHMENT_CONNECTIONS} connections: app vs node:http + sharp + better-sqlite3…`);
    const attachments = await attempt('attachments', () => measureAttachments(appUrl, pid, tmp, [0, ...new Set(items.map((i) => i.section))]));
    const memory = { rssMb: rssMb(pid), imageChildRssMb: childrenRssMb(pid), imageChildGoneAfterS: null as number | null };
    // The image child exits after IMAGE_CHILD_IDLE_MS (10 s) without a photo: how long until it has.
    for (let waited = 0; waited <= 30; waited++) {
      if (childrenRssMb(pid) === 0) {
        memory.imageChildGoneAfterS = waited;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    outbox.close();
    await stopChild(server.proc);
    if (ONLY.has('postgres')) log('postgres: the same data on PostgreSQL, one and two app processes…');
    const pgPart = await attempt('postgres', () =>
      measurePostgres(
        {
          root: ROOT, tmp, sqliteFile: databasePath, items, sections: seeded.sections, adminCreated,
          duration: DURATION, runs: Number(process.env.BENCH_PG_RUNS ?? 1), warmup: WARMUP,
          opinionConnections: OPINION_CONNECTIONS, reportConnections: REPORT_CONNECTIONS, browserEncoding: BROWSER_ENCODING,
          serverEnv: { ...serverEnv, DATABASE_PATH: path.join(tmp, 'pg-unused.db') },
          startServer: (env) => startChild([...startFlags, 'server.js'], env, listening, 'postgres server'),
          stopChild,
          track,
        },
        {
          opinionsPerSecond: opinions?.summary.perSecond ?? null,
          reportRps: report?.summary.gzipRps ?? null,
          searchP95Ms: staff?.search.p95Ms ?? null,
          searchShortP95Ms: staff?.search.shortP95Ms ?? null,
          inboxP95Ms: staff?.inbox.p95Ms ?? null,
        },
      ),
    );
    if (pgPart && 'skipped' in pgPart) log(`postgres: skipped — ${pgPart.skipped}`);

    const rp = report?.summary ?? null;
    const op = opinions?.summary ?? null;
    const results = {
      date: new Date().toISOString(),
      machine: machine(),
      generator: { name: 'wrk', version: wrk, threads: THREADS },
      server: { opinionThreads: Number(process.env.OPINION_THREADS ?? 1), mallocArenaMax: serverEnv.MALLOC_ARENA_MAX },
      reportPage: rp,
      mixed,
      opinions: op,
      attachments,
      search: staff ? { ...staff.search, rows: seeded.opinions } : null,
      inbox: staff?.inbox ?? null,
      export: staff?.export ?? null,
      pages: staff?.pages ?? null,
      postgres: pgPart ? ('skipped' in pgPart ? pgPart : pgPart.figures) : { skipped: errors.postgres ?? 'not run' },
      lighthouse: lighthouseJson,
      bytes,
      memory,
      settings: {
        opinionsSeeded: seeded.opinions,
        repliesSeeded: seeded.replies,
        seedSeconds: round(seeded.ms / 1000),
        seedPhasesMs: seeded.phases,
        runs: RUNS,
        durationSeconds: DURATION,
        gzipLevel: GZIP_LEVEL,
      },
      skipped: errors,
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    // A partial run (BENCH_ONLY) must not overwrite the full figures the README quotes.
    const resultFile = process.env.BENCH_ONLY ? 'partial.json' : 'latest.json';
    fs.writeFileSync(path.join(ROOT, 'bench/results', resultFile), JSON.stringify(results, null, 2) + '\n');

    const flag = (bound: boolean | undefined, why: string | null | undefined) => (bound ? `GENERATOR-BOUND? (${why})` : '');
    const ratio = (x: number | null | undefined, bound?: boolean) => (x === null || x === undefined || !Number.isFinite(x) ? undefined : `${x}${bound ? ' *' : ''}`);
    const ms = ' ms';
    const rows: Row[] = [];
    if (rp) {
      const gzFlag = flag(rp.generatorBound.gzip, rp.generatorBoundWhy.gzip);
      const idFlag = flag(rp.generatorBound.identity, rp.generatorBoundWhy.identity);
      rows.push(
        { figure: `report page req/s, ${rp.contentEncoding ?? 'identity'} (browser), ${rp.connections} conn.`, value: fmt(rp.gzipRps), baseline: fmt(rp.gzipBaselineRps), ratio: ratio(rp.gzipRatio, rp.generatorBound.gzip), flag: gzFlag, goal: '≥ 0.5 of baseline', met: rp.generatorBound.gzip ? null : met(rp.gzipRatio, (x) => x >= 0.5) },
        { figure: '  nginx, same bytes (wrk ceiling reference)', value: fmt(rp.gzipNginxRps), ratio: ratio(rp.gzipNginxRps ? round(rp.gzipRps / rp.gzipNginxRps, 3) : null) },
        { figure: '  p50', value: fmt(rp.gzipP50Ms, ms) },
        { figure: '  p99', value: fmt(rp.gzipP99Ms, ms), baseline: fmt(rp.gzipBaselineP99Ms, ms), ratio: ratio(round(rp.gzipP99Ms / rp.gzipBaselineP99Ms, 2), rp.generatorBound.gzip), goal: '≤ 2× baseline', met: rp.generatorBound.gzip ? null : met(rp.gzipP99Ms / rp.gzipBaselineP99Ms, (x) => x <= 2) },
        { figure: `  its loader data (.data, a client-side navigation's) req/s`, value: fmt(rp.loaderDataRps), baseline: fmt(rp.gzipRps), ratio: ratio(round(rp.loaderDataRps / rp.gzipRps, 3)) },
        { figure: '  its loader data p99', value: fmt(rp.loaderDataP99Ms, ms) },
        { figure: `list of reports (/) req/s, ${rp.contentEncoding ?? 'identity'} (browser)`, value: fmt(rp.listRps), baseline: fmt(rp.listBaselineRps), ratio: ratio(rp.listRatio) },
        { figure: '  its p99', value: fmt(rp.listP99Ms, ms), baseline: fmt(rp.listBaselineP99Ms, ms), ratio: ratio(round(rp.listP99Ms / rp.listBaselineP99Ms, 2)) },
        { figure: `a section's replies req/s, ${rp.contentEncoding ?? 'identity'} (browser)`, value: fmt(rp.repliesRps), baseline: fmt(rp.repliesBaselineRps), ratio: ratio(rp.repliesRatio) },
        { figure: '  its p99', value: fmt(rp.repliesP99Ms, ms), baseline: fmt(rp.repliesBaselineP99Ms, ms), ratio: ratio(round(rp.repliesP99Ms / rp.repliesBaselineP99Ms, 2)) },
        { figure: `report page req/s, identity, ${rp.connections} conn.`, value: fmt(rp.rps), baseline: fmt(rp.baselineRps), ratio: ratio(rp.ratio, rp.generatorBound.identity), flag: idFlag, goal: '≥ 0.5 of baseline', met: rp.generatorBound.identity ? null : met(rp.ratio, (x) => x >= 0.5) },
        { figure: '  nginx, same bytes (wrk ceiling reference)', value: fmt(rp.nginxRps), ratio: ratio(rp.nginxRps ? round(rp.rps / rp.nginxRps, 3) : null) },
        { figure: '  p99', value: fmt(rp.p99Ms, ms), baseline: fmt(rp.baselineP99Ms, ms), ratio: ratio(round(rp.p99Ms / rp.baselineP99Ms, 2), rp.generatorBound.identity) },
        { figure: '  answers not 2xx/3xx, socket errors', value: fmt(rp.nonSuccess), goal: '0', met: met(rp.nonSuccess, (x) => x === 0) },
      );
    }
    if (mixed) {
      rows.push(
        { figure: `reads, ${mixed.readConnections} conn., while writing req/s`, value: fmt(mixed.readRpsWriting), baseline: `${fmt(mixed.readRpsAlone)} alone`, ratio: ratio(mixed.readRpsRatio), goal: '≥ 0.5 of alone', met: met(mixed.readRpsRatio, (x) => x >= 0.5) },
        { figure: '  read p99 while writing', value: fmt(mixed.readP99MsWriting, ms), baseline: `${fmt(mixed.readP99MsAlone, ms)} alone`, ratio: ratio(mixed.readP99Ratio), goal: '≤ 3× alone', met: met(mixed.readP99Ratio, (x) => x <= 3) },
        { figure: `  opinions written meanwhile /s (target ${mixed.targetOpinionsPerSecond})`, value: fmt(mixed.opinionsPerSecond), flag: mixed.writesNon303 ? `${mixed.writesNon303} not 303` : '' },
      );
    }
    if (op) {
      rows.push(
        { figure: `opinions/s, ${op.connections} conn., ${op.storedBefore.toLocaleString('en')} stored`, value: fmt(op.perSecond), baseline: fmt(op.baselinePerSecond), ratio: ratio(op.ratio, op.generatorBound), flag: flag(op.generatorBound, op.generatorBoundWhy), goal: '≥ 600', met: met(op.perSecond, (x) => x >= 600) },
        { figure: '  opinions p99', value: fmt(op.p99Ms, ms), baseline: fmt(op.baselineP99Ms, ms), ratio: ratio(round(op.p99Ms / op.baselineP99Ms, 2)) },
        { figure: '  server CPU per opinion (main thread)', value: `${fmt(op.cpuMsPerOpinion, ms)} (${fmt(op.mainThreadCpuMsPerOpinion, ms)})` },
        { figure: '  mail pending after a run, sent within', value: `${op.mailPendingAfterRun} / ${op.mailDrainSeconds === null ? '> 180 s' : `${op.mailDrainSeconds} s`}` },
        { figure: '  server CPU per opinion after the run, until it was sent', value: fmt(op.mailCpuMsPerOpinion, ms) },
        { figure: '  answers not 303', value: fmt(op.non303), goal: '0', met: met(op.non303, (x) => x === 0) },
      );
    }
    if (attachments) {
      const at = attachments;
      rows.push(
        { figure: `opinions with a ${round(at.photoBytes / 1_048_576, 2)} MB photo /s, ${at.connections} conn.`, value: fmt(at.perSecond), baseline: fmt(at.baselinePerSecond), ratio: ratio(at.ratio), goal: '≥ 0.5 of baseline', met: met(at.ratio, (x) => x >= 0.5) },
        { figure: '  with a photo p99', value: fmt(at.p99Ms, ms), baseline: fmt(at.baselineP99Ms, ms), ratio: ratio(round(at.p99Ms / at.baselineP99Ms, 2)) },
        { figure: '  server RSS during uploads (peak)', value: fmt(at.rssPeakMb, ' MB'), baseline: `${fmt(at.rssBeforeMb, ' MB')} before` },
        { figure: '  image child RSS during uploads (peak)', value: fmt(at.imageChildRssPeakMb, ' MB') },
        { figure: '  answers not 303', value: fmt(at.non303), goal: '0', met: met(at.non303, (x) => x === 0) },
      );
    }
    const s = results.search;
    if (s && staff) {
      const n = s.rows.toLocaleString('en');
      rows.push(
        { figure: `search p95, 3+ chars (${n} rows, 1 conn.)`, value: fmt(s.p95Ms, ms), goal: '< 50 ms', met: met(s.p95Ms, (x) => x < 50) },
        { figure: `search p95, 1–2 chars (${n} rows, 1 conn.)`, value: fmt(s.shortP95Ms, ms), goal: '< 50 ms', met: met(s.shortP95Ms, (x) => x < 50) },
        { figure: 'inbox p95, unfiltered (1 conn.)', value: fmt(staff.inbox.p95Ms, ms), baseline: `${fmt(staff.inbox.nodeFetchP95Ms, ms)} via Node fetch`, goal: '< 50 ms', met: met(staff.inbox.p95Ms, (x) => x < 50) },
        { figure: 'inbox p95, status + section + dates (1 conn.)', value: fmt(staff.inbox.filteredP95Ms, ms), goal: '< 50 ms', met: met(staff.inbox.filteredP95Ms, (x) => x < 50) },
        { figure: `export.csv, ${staff.export.rows.toLocaleString('en')} rows`, value: fmt(staff.export.seconds, ' s'), goal: '< 10 s', met: met(staff.export.seconds, (x) => x < 10) },
        { figure: '  server RSS during export (peak)', value: fmt(staff.export.rssMb, ' MB'), baseline: `${fmt(staff.export.rssBeforeMb, ' MB')} before`, goal: '< 300 MB', met: met(staff.export.rssMb, (x) => x < 300) },
        { figure: 'results board, computed (1st request)', value: fmt(staff.pages.resultsComputedMs, ms), baseline: `${fmt(staff.pages.resultsCachedP95Ms, ms)} p95 cached` },
        { figure: 'dashboard p95 (1 conn.)', value: fmt(staff.pages.dashboardP95Ms, ms) },
        { figure: 'a notice\'s console p95 (1 conn.)', value: fmt(staff.pages.noticeP95Ms, ms) },
        { figure: 'inbox "overdue" p95 (1 conn.)', value: fmt(staff.pages.overdueP95Ms, ms) },
        { figure: 'a section\'s public replies p95 (1 conn.)', value: fmt(staff.pages.sectionRepliesP95Ms, ms) },
      );
    }
    if (lighthouse) {
      rows.push(
        {
          figure: `lighthouse ${lighthouse.version} mobile: performance (median of ${lighthouse.runs.length})`,
          value: fmt(lighthouse.performance),
          flag: `runs ${lighthouse.runs.map((r) => r.performance).join(', ')}; CPU benchmark index ${lighthouse.benchmarkIndex}`,
          goal: '≥ 98',
          met: met(lighthouse.performance, (x) => x >= 98),
        },
        {
          figure: '  total blocking time',
          value: fmt(lighthouse.tbtMs, ms),
          // The page's main-thread tasks: wall time vs the thread's CPU time (decision 017).
          flag: `runs ${lighthouse.runs.map((r) => r.tbtMs).join(', ')} ms; main thread ${lighthouse.runs.map((r) => (r.mainThread ? `${r.mainThread.taskWallMs}/${r.mainThread.taskCpuMs}` : '?')).join(', ')} ms wall/CPU`,
          goal: '< 100 ms',
          met: met(lighthouse.tbtMs, (x) => x < 100),
        },
        { figure: '  accessibility / best practices / SEO', value: `${lighthouse.accessibility} / ${lighthouse.bestPractices} / ${lighthouse.seo}`, goal: '100 / 100 / 100', met: lighthouse.accessibility === 100 && lighthouse.bestPractices === 100 && lighthouse.seo === 100 },
      );
    } else if (ONLY.has('lighthouse')) rows.push({ figure: 'lighthouse', value: `skipped: ${errors.lighthouse ?? 'n/a'}` });
    if (bytes) {
      rows.push(
        { figure: `HTML gzip -${GZIP_LEVEL}`, value: fmt(bytes.htmlGzip, ' B') },
        { figure: `JS gzip -${GZIP_LEVEL} (${bytes.jsFiles.length} files)`, value: fmt(bytes.jsGzip, ' B'), goal: '≤ 100 KB', met: met(bytes.jsGzip, (x) => x <= 100 * 1024) },
      );
    }
    if (pgPart && 'rows' in pgPart) rows.push(...pgPart.rows);
    else if (ONLY.has('postgres')) rows.push({ figure: 'PostgreSQL', value: `skipped: ${pgPart?.skipped ?? errors.postgres ?? 'n/a'}` });
    rows.push({ figure: 'server RSS after the whole bench', value: fmt(memory.rssMb, ' MB'), goal: '< 300 MB', met: met(memory.rssMb, (x) => x < 300) });
    rows.push({ figure: '  image child RSS then (it exits when idle)', value: fmt(memory.imageChildRssMb, ' MB'), baseline: memory.imageChildGoneAfterS === null ? 'still there 30 s later' : `gone ${memory.imageChildGoneAfterS} s later` });
    printTable(rows);
    if (rp?.generatorBound.gzip || rp?.generatorBound.identity || op?.generatorBound) {
      log('* a ratio against a generator-bound baseline says how close the app came to wrk\'s ceiling, not to the server\'s: not a win');
    }
    const m = results.machine;
    log(`${m.cpus} × ${m.cpuModel}, ${m.totalMemoryMb} MB, node ${m.node}, ${m.os}, load ${m.loadAverageAtStart.join(' ')} at start; ${results.benchSeconds} s`);
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
