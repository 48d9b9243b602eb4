// The HTTP load generator: wrk (Debian's package), a C program, so that the
// figures are the server's and not the generator's. A Node generator on the
// same two cores saturated first and measured itself (issue 10).
//
// Each run reports through a Lua `done()` hook as one JSON line, and runs
// under bash so that `times` gives wrk's own CPU time: a generator thread near
// 100 % of a core means the figure may be the generator's ceiling.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type WrkResult = {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts; HTTP statuses ≥ 400 are in `statusErrors`. */
  socketErrors: number;
  /** Responses with status ≥ 400 (wrk's own count). */
  statusErrors: number;
  /** Status → count, only when the script counts them (response() hook). */
  codes: Record<string, number> | null;
  /** wrk's CPU time over its wall time, per thread: 1 = every thread busy all the time. */
  cpuPerThread: number;
  threads: number;
  connections: number;
};

/** The installed wrk's version line, or null when it is not installed. */
export function wrkVersion(): string | null {
  try {
    // `wrk -v` prints its version and usage, and exits 1.
    execFileSync('wrk', ['-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stdout?: Buffer; stderr?: Buffer };
    if (e.code === 'ENOENT') return null;
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    const line = out.split('\n').find((l) => l.startsWith('wrk'));
    if (line) return line.trim();
  }
  return 'wrk (version unknown)';
}

// Thread-local tables are gathered in done() through thread:get (wrk copies tables between Lua states).
const REPORT_LUA = `
local wrk_threads = {}
function setup(thread)
  table.insert(wrk_threads, thread)
  thread:set("thread_id", #wrk_threads)
end
function done(summary, latency, requests)
  local codes = {}
  local counted = false
  for _, t in ipairs(wrk_threads) do
    local c = t:get("codes")
    if c then
      counted = true
      for k, v in pairs(c) do codes[k] = (codes[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(codes) do table.insert(parts, string.format('"%s":%d', tostring(k), v)) end
  io.write(string.format(
    'WRKJSON {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"codes":%s}\\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(99),
    counted and ("{" .. table.concat(parts, ",") .. "}") or "null"))
end
`;

/** A Lua string literal (wrk's LuaJIT reads bytes, so UTF-8 passes through). */
export const luaString = (s: string) => JSON.stringify(s).replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => `\\u{${h}}`);

export type WrkScript = {
  /** Lua defining any of init/request/response/delay; globals are per thread. */
  lua?: string;
  /** Extra request headers (for a plain GET script). */
  headers?: Record<string, string>;
};

export async function runWrk(options: {
  url: string;
  connections: number;
  seconds: number;
  threads?: number;
  script?: WrkScript;
  dir: string;
  label: string;
}): Promise<WrkResult> {
  const threads = Math.min(options.threads ?? 1, options.connections);
  const headerLua = Object.entries(options.script?.headers ?? {})
    .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
    .join('\n');
  const file = path.join(options.dir, `wrk-${options.label.replace(/[^a-z0-9-]+/gi, '-')}.lua`);
  fs.writeFileSync(file, `${headerLua}\n${options.script?.lua ?? ''}\n${REPORT_LUA}`);
  const args = [
    '-c', 'wrk "$@"; rc=$?; times >&2; exit $rc', 'wrk',
    `-t${threads}`, `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', file, options.url,
  ];
  const started = performance.now();
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const proc = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.once('error', reject);
    proc.once('exit', (code) => resolve({ stdout, stderr, code }));
  });
  const wall = (performance.now() - started) / 1000;
  const json = /^WRKJSON (.*)$/m.exec(stdout)?.[1];
  if (code !== 0 || !json) throw new Error(`wrk (${options.label}) failed with ${code}:\n${stdout}\n${stderr}`);
  const r = JSON.parse(json) as {
    requests: number; durationUs: number; connect: number; read: number; write: number; status: number; timeout: number;
    p50: number; p99: number; codes: Record<string, number> | null;
  };
  // `times` prints the shell's then its children's user and system time, "0m1.234s 0m0.567s".
  const lines = stderr.trim().split('\n');
  const toSeconds = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  };
  const childTimes = (lines[lines.length - 1] ?? '').trim().split(/\s+/);
  const cpu = toSeconds(childTimes[0] ?? '') + toSeconds(childTimes[1] ?? '');
  const seconds = r.durationUs / 1e6;
  return {
    requests: r.requests,
    seconds,
    rps: r.requests / seconds,
    // No answer within the run: every request took longer than the run (wrk would say 0).
    p50Ms: r.requests ? r.p50 / 1000 : Infinity,
    p99Ms: r.requests ? r.p99 / 1000 : Infinity,
    socketErrors: r.connect + r.read + r.write + r.timeout,
    statusErrors: r.status,
    codes: r.codes,
    cpuPerThread: cpu / Math.max(wall, seconds) / threads,
    threads,
    connections: options.connections,
  };
}
