// The PostgreSQL part of `npm run bench`: the same data as the SQLite part
// (copied from its database with npm run db:copy), then durable opinions/s
// with one app process and with two behind nginx (deploy/nginx.conf), the
// report page through nginx in front of two processes, and the inbox and
// search p95 — each beside the SQLite figure from the same run. Skipped with
// one line when no PostgreSQL answers.
//
//   BENCH_DATABASE_URL  a server and a role that may create databases
//                       (default postgres://ikenbako:ikenbako@127.0.0.1:5432/postgres);
//                       the bench makes its own database there and drops it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { opinionLua, postHeaders } from './opinion-lua';
import { measureStaff } from './staff';
import { log, median, round } from './util';
import { runWrk, type WrkResult } from './wrk';
import { freePort, writeLocalNginxConfig } from '../scripts/nginx-local';

const DEFAULT_URL = 'postgres://ikenbako:ikenbako@127.0.0.1:5432/postgres';
const SLUG = 'xiuzhou-inspection-2023';

type Child = { proc: ChildProcess; port: number; output: () => string };

export type PostgresBenchContext = {
  root: string;
  tmp: string;
  /** The SQLite part's database (its server stopped): copied to PostgreSQL. */
  sqliteFile: string;
  items: Array<{ section: number; item: number }>;
  sections: number[];
  adminCreated: boolean;
  duration: number;
  runs: number;
  warmup: number;
  opinionConnections: number;
  reportConnections: number;
  browserEncoding: string;
  serverEnv: Record<string, string | undefined>;
  startServer: (env: Record<string, string | undefined>) => Promise<Child>;
  stopChild: (proc: ChildProcess) => Promise<void>;
  track: (proc: ChildProcess) => ChildProcess;
};

/** What the same run measured on SQLite (one process), for the baseline column. */
export type SqliteFigures = {
  opinionsPerSecond: number | null;
  reportRps: number | null;
  searchP95Ms: number | null;
  searchShortP95Ms: number | null;
  inboxP95Ms: number | null;
};

type BenchRow = { figure: string; value: string; baseline?: string; ratio?: string };

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}


/** nginx with deploy/nginx.conf's server block in front of `upstreams`, its paths in `dir`. */
async function startClusterNginx(root: string, dir: string, port: number, upstreams: number[]): Promise<ChildProcess> {
  const args = writeLocalNginxConfig({ root, dir, port, upstreams, accessLog: false });
  const proc = spawn('/usr/sbin/nginx', args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8').trim()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`nginx did not answer on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const accepted = (r: WrkResult) => (r.codes?.['303'] ?? 0) / r.seconds;
const fmt = (x: number | null | undefined, unit = '') => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x}${unit}`);
const orFailed = (x: number | null, unit: string, why: string | null) => (x === null && why ? `failed: ${why}` : fmt(x, unit));
const ratio = (a: number | null, b: number | null) => (a && b ? String(round(a / b, 2)) : undefined);

export async function measurePostgres(ctx: PostgresBenchContext, sqlite: SqliteFigures): Promise<{ skipped: string } | { figures: Record<string, unknown>; rows: BenchRow[] }> {
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
  const unreachable = await reachable(serverUrl);
  if (unreachable) {
    return { skipped: `no PostgreSQL reachable at ${serverUrl.replace(/:[^:@/]*@/, ':***@')} (${unreachable}); set BENCH_DATABASE_URL to measure it` };
  }
  const name = `ikenbako_bench_${process.pid}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await admin(serverUrl, `drop database if exists ${name} with (force)`);
  await admin(serverUrl, `create database ${name}`);
  const children: ChildProcess[] = [];
  try {
    log(`postgres: copying the SQLite part's database with npm run db:copy…`);
    const copyStarted = Date.now();
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/db-copy.ts', '--from', ctx.sqliteFile, '--to', databaseUrl], {
      cwd: ctx.root,
      maxBuffer: 64 * 1024 * 1024,
    });
    const copySeconds = round((Date.now() - copyStarted) / 1000);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const stored = Number((await client.query('select count(*) as n from opinions')).rows[0].n);
    await client.query('analyze');
    await client.end();
    log(`postgres: ${stored.toLocaleString('en')} opinions copied in ${copySeconds} s`);

    const nginxPort = await freePort();
    const env = { ...ctx.serverEnv, DATABASE_URL: databaseUrl, TRUST_PROXY: '1', PUBLIC_URL: `http://127.0.0.1:${nginxPort}` };
    const first = await ctx.startServer(env);
    children.push(first.proc);
    const firstUrl = `http://127.0.0.1:${first.port}`;

    let staff: Awaited<ReturnType<typeof measureStaff>> | null = null;
    // One figure failing leaves the others to measure (and says why in the table).
    let staffError: string | null = ctx.adminCreated ? null : 'no staff sign-in';
    if (ctx.adminCreated) {
      log('postgres: staff console, one connection: inbox, search…');
      try {
        staff = await measureStaff(firstUrl, first.proc.pid!, ctx.sections);
      } catch (error) {
        staffError = (error as Error).message.split('\n')[0];
        log(`postgres: staff figures failed — ${staffError}`);
      }
    }

    const opinions = (target: string, seconds: number, label: string) =>
      runWrk({
        url: `${target}/reports/${SLUG}/opinions`,
        connections: ctx.opinionConnections,
        seconds,
        script: { headers: postHeaders(target), lua: opinionLua(SLUG, ctx.items) },
        dir: ctx.tmp,
        label,
      });
    const oneProcess: WrkResult[] = [];
    await opinions(firstUrl, ctx.warmup, 'pg opinions 1 process');
    for (let i = 0; i < ctx.runs; i++) oneProcess.push(await opinions(firstUrl, ctx.duration, 'pg opinions 1 process'));
    log(`postgres: opinions, one process: ${oneProcess.map((r) => `${round(accepted(r))}/s (codes ${JSON.stringify(r.codes)})`).join('; ')}`);

    const second = await ctx.startServer(env);
    children.push(second.proc);
    const nginx = ctx.track(await startClusterNginx(ctx.root, path.join(ctx.tmp, 'pg-nginx'), nginxPort, [first.port, second.port]));
    children.push(nginx);
    const nginxUrl = `http://127.0.0.1:${nginxPort}`;
    const twoProcesses: WrkResult[] = [];
    await opinions(nginxUrl, ctx.warmup, 'pg opinions 2 processes');
    for (let i = 0; i < ctx.runs; i++) twoProcesses.push(await opinions(nginxUrl, ctx.duration, 'pg opinions 2 processes'));
    log(`postgres: opinions, two processes behind nginx: ${twoProcesses.map((r) => `${round(accepted(r))}/s (codes ${JSON.stringify(r.codes)})`).join('; ')}`);

    const page = (seconds: number) =>
      runWrk({
        url: `${nginxUrl}/reports/${SLUG}`,
        connections: ctx.reportConnections,
        seconds,
        script: { headers: { 'Accept-Encoding': ctx.browserEncoding, Accept: 'text/html' } },
        dir: ctx.tmp,
        label: 'pg report page',
      });
    const report: WrkResult[] = [];
    await page(ctx.warmup);
    for (let i = 0; i < ctx.runs; i++) report.push(await page(ctx.duration));
    log(`postgres: report page, two processes behind nginx: ${report.map((r) => `${Math.round(r.rps)}/s`).join('; ')}`);

    const serverErrors = [first, second]
      .flatMap((c) => c.output().split('\n'))
      .filter((line) => /"level":"error"/.test(line));
    if (serverErrors.length) log(`postgres: the servers logged ${serverErrors.length} error(s), the last: ${serverErrors[serverErrors.length - 1].slice(0, 400)}`);
    const figures = {
      opinionsStored: stored,
      copySeconds,
      opinionsPerSecondOneProcess: round(median(oneProcess.map(accepted))),
      opinionsPerSecondTwoProcesses: round(median(twoProcesses.map(accepted))),
      opinionsNon303: [...oneProcess, ...twoProcesses].reduce((n, r) => n + r.socketErrors + Object.entries(r.codes ?? {}).reduce((m, [c, k]) => m + (c === '303' ? 0 : k), 0), 0),
      reportRpsTwoProcesses: round(median(report.map((r) => r.rps))),
      reportNonSuccess: report.reduce((n, r) => n + r.socketErrors + r.statusErrors, 0),
      searchP95Ms: staff?.search.p95Ms ?? null,
      searchShortP95Ms: staff?.search.shortP95Ms ?? null,
      inboxP95Ms: staff?.inbox.p95Ms ?? null,
      inboxFilteredP95Ms: staff?.inbox.filteredP95Ms ?? null,
      staffError,
      sqlite,
    };
    const ms = ' ms';
    const n = stored.toLocaleString('en');
    const rows: BenchRow[] = [
      { figure: `PostgreSQL: opinions/s, 1 process, ${ctx.opinionConnections} conn.`, value: fmt(figures.opinionsPerSecondOneProcess), baseline: `SQLite ${fmt(sqlite.opinionsPerSecond)}`, ratio: ratio(figures.opinionsPerSecondOneProcess, sqlite.opinionsPerSecond) },
      { figure: '  2 processes behind nginx', value: fmt(figures.opinionsPerSecondTwoProcesses), baseline: `SQLite ${fmt(sqlite.opinionsPerSecond)} (1 process)`, ratio: ratio(figures.opinionsPerSecondTwoProcesses, sqlite.opinionsPerSecond) },
      { figure: '  answers not 303', value: fmt(figures.opinionsNon303) },
      { figure: `PostgreSQL: report page req/s, 2 processes behind nginx, ${ctx.reportConnections} conn.`, value: fmt(figures.reportRpsTwoProcesses), baseline: `SQLite ${fmt(sqlite.reportRps)} (1 process, direct)`, ratio: ratio(figures.reportRpsTwoProcesses, sqlite.reportRps) },
      { figure: `PostgreSQL: search p95, 3+ chars (${n} rows)`, value: orFailed(figures.searchP95Ms, ms, staffError), baseline: `SQLite ${fmt(sqlite.searchP95Ms, ms)}`, ratio: ratio(figures.searchP95Ms, sqlite.searchP95Ms) },
      { figure: `PostgreSQL: search p95, 1–2 chars (${n} rows)`, value: orFailed(figures.searchShortP95Ms, ms, staffError), baseline: `SQLite ${fmt(sqlite.searchShortP95Ms, ms)}`, ratio: ratio(figures.searchShortP95Ms, sqlite.searchShortP95Ms) },
      { figure: 'PostgreSQL: inbox p95, unfiltered', value: orFailed(figures.inboxP95Ms, ms, staffError), baseline: `SQLite ${fmt(sqlite.inboxP95Ms, ms)}`, ratio: ratio(figures.inboxP95Ms, sqlite.inboxP95Ms) },
    ];
    return { figures, rows };
  } finally {
    await Promise.all(children.map((c) => ctx.stopChild(c)));
    await admin(serverUrl, `drop database if exists ${name} with (force)`).catch((error) => log(`postgres: could not drop ${name}: ${(error as Error).message}`));
  }
}
