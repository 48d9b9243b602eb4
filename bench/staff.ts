// Staff console figures: single-connection latency, so measured with
// sequential requests (one in flight at a time: there is no generator to
// saturate), each read by curl, and the CSV export's time and the server's
// memory while it streams.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { percentile, round, rssMb } from './util';

const execFileAsync = promisify(execFile);

export const ADMIN = { email: 'bench-admin@bench.invalid', password: 'bench-password-0123456789' };

// What office staff would type. 3+ characters go through the FTS5 trigram
// index; 1–2 characters through LIKE.
const LONG_QUERIES = [
  '駐車場', '幼稚園', '交通渋滞', '防犯カメラ', '図書館', '下水道', '高齢者', 'バス路線', '文化財', '衛生室',
  '補助金', '手続き', 'デジタル化', '子育て', '巡視整備', '運河湾', '困っています', '説明が足り', '整備を早め', '長江デルタ',
];
const SHORT_QUERIES = [
  '駐車', '道路', '医療', '公園', 'ゴミ', '騒音', '街灯', '歩道', '雇用', '住宅',
  '学校', '農地', '河川', '工事', '窓口', '王', '李', '水', '橋', '党',
];
const STATUSES = ['new', 'triaged', 'in_progress', 'answered', 'closed'];
const SEARCH_REPEATS = 5;
const INBOX_SAMPLES = 60;

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

/**
 * One GET's time as curl (a C client, in a process of its own, as wrk is for
 * the throughput figures) reads it, compressed as a browser asks: the time to
 * the last byte on a new connection, without this process's own work (its
 * heap after seeding a million rows, its decompression).
 */
async function timeGet(url: string, cookie: string): Promise<number> {
  const { stdout } = await execFileAsync('curl', ['-s', '--compressed', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-H', `Cookie: ${cookie}`, url]);
  const [status, seconds] = stdout.trim().split(' ');
  if (status !== '200') throw new Error(`${url} answered ${status}`);
  return Number(seconds) * 1000;
}

/** The same GET timed with Node's fetch in this process (the method before curl), for comparison. */
async function timeFetch(url: string, cookie: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { Cookie: cookie }, redirect: 'manual' });
  await res.arrayBuffer();
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return ms;
}

const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/** Status + section + a received-date range, varied per request (seeded data spans six months). */
function filteredInboxQuery(n: number, sections: number[]): string {
  const now = Date.now();
  const to = now - ((n * 7) % 90) * 24 * 3600_000;
  const from = to - (30 + ((n * 11) % 60)) * 24 * 3600_000;
  const section = sections[1 + (n % (sections.length - 1))] ?? 0;
  return new URLSearchParams({ status: STATUSES[n % STATUSES.length], section: String(section), from: day(from), to: day(to) }).toString();
}

export async function measureStaff(appUrl: string, serverPid: number, sections: number[]) {
  const cookie = await signIn(appUrl);
  const inbox: number[] = [];
  for (let i = 0; i < 5; i++) await timeGet(`${appUrl}/staff`, cookie);
  for (let i = 0; i < INBOX_SAMPLES; i++) inbox.push(await timeGet(`${appUrl}/staff`, cookie));
  const fetched: number[] = [];
  for (let i = 0; i < INBOX_SAMPLES; i++) fetched.push(await timeFetch(`${appUrl}/staff`, cookie));
  const filtered: number[] = [];
  for (let i = 0; i < 5; i++) await timeGet(`${appUrl}/staff?${filteredInboxQuery(i + 1000, sections)}`, cookie);
  for (let i = 0; i < INBOX_SAMPLES; i++) filtered.push(await timeGet(`${appUrl}/staff?${filteredInboxQuery(i, sections)}`, cookie));
  const long: number[] = [];
  const short: number[] = [];
  for (let r = 0; r < SEARCH_REPEATS; r++) {
    for (const q of LONG_QUERIES) long.push(await timeGet(`${appUrl}/staff?q=${encodeURIComponent(q)}`, cookie));
    for (const q of SHORT_QUERIES) short.push(await timeGet(`${appUrl}/staff?q=${encodeURIComponent(q)}`, cookie));
  }
  const exported = await measureExport(appUrl, cookie, serverPid);
  // After the export, so that its RSS figures stay comparable with runs before this part existed.
  const pages = await measurePages(appUrl, cookie);
  return {
    pages,
    search: { p95Ms: round(percentile(long, 95)), shortP95Ms: round(percentile(short, 95)), samples: long.length, shortSamples: short.length },
    inbox: {
      p95Ms: round(percentile(inbox, 95)),
      samples: inbox.length,
      client: 'curl',
      nodeFetchP95Ms: round(percentile(fetched, 95)),
      filteredP95Ms: round(percentile(filtered, 95)),
      filteredSamples: filtered.length,
      filteredExample: `/staff?${filteredInboxQuery(0, sections)}`,
    },
    export: exported,
  };
}

const PAGE_SAMPLES = 10;
const SLUG = 'xiuzhou-inspection-2023';

/**
 * The pages that count over every opinion: the dashboard, a notice's
 * console, the inbox's "overdue" filter, a section's public replies (p95 of
 * PAGE_SAMPLES each), and the public results board's computation (its first
 * request; the board is then served from memory for 30 s, also timed).
 */
async function measurePages(appUrl: string, cookie: string) {
  const p95 = async (path: string) => {
    const times: number[] = [];
    await timeGet(`${appUrl}${path}`, cookie);
    for (let i = 0; i < PAGE_SAMPLES; i++) times.push(await timeGet(`${appUrl}${path}`, cookie));
    return round(percentile(times, 95));
  };
  const resultsComputedMs = round(await timeGet(`${appUrl}/reports/${SLUG}/results`, cookie));
  return {
    resultsComputedMs,
    resultsCachedP95Ms: await p95(`/reports/${SLUG}/results`),
    dashboardP95Ms: await p95('/staff/dashboard'),
    noticeP95Ms: await p95('/staff/notices/1'),
    overdueP95Ms: await p95('/staff?overdue=1'),
    sectionRepliesP95Ms: await p95(`/reports/${SLUG}/sections/1/replies`),
    samples: PAGE_SAMPLES,
  };
}

/** The whole unfiltered export, read as fast as the server sends it; server RSS sampled meanwhile. */
async function measureExport(appUrl: string, cookie: string, serverPid: number) {
  const rssBeforeMb = rssMb(serverPid);
  let peak = rssBeforeMb;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(serverPid));
    } catch {
      // the server is gone; the request below fails and says so
    }
  }, 50);
  try {
    const t = performance.now();
    const res = await fetch(`${appUrl}/staff/export.csv`, { headers: { Cookie: cookie }, redirect: 'manual' });
    if (res.status !== 200 || !res.body) throw new Error(`/staff/export.csv answered ${res.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) lines++;
    }
    const seconds = (performance.now() - t) / 1000;
    peak = Math.max(peak, rssMb(serverPid));
    return {
      seconds: round(seconds, 2),
      // Seeded bodies hold no line breaks: one line per row after the header.
      rows: lines - 1,
      megabytes: round(bytes / 1024 / 1024),
      rssMb: round(peak),
      rssBeforeMb,
      truncatedAt: res.headers.get('x-export-truncated') ? Number(res.headers.get('x-export-truncated')) : null,
    };
  } finally {
    clearInterval(sampler);
  }
}
