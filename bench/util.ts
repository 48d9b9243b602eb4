// Small helpers shared by the bench's parts.
import fs from 'node:fs';
import http from 'node:http';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function log(msg: string) {
  process.stdout.write(`[bench] ${msg}\n`);
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024);
}

/** Resident memory of a process's children (the server's image child, decision 019), in MB; 0 when it has none. */
export function childrenRssMb(pid: number): number {
  let kb = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) === pid) kb += Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return round(kb / 1024);
}

/** One GET with node:http, the body as sent (fetch would decompress it). */
export function getRaw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const CLOCK_TICKS_PER_S = 100; // Linux's USER_HZ on every platform Node runs on

function statCpuMs(file: string): number {
  // Fields after the ")" of the command name: utime is the 12th, stime the 13th.
  const fields = fs.readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/**
 * CPU time a process has used so far, in ms: all its threads, and its main
 * thread alone. CPU per request is a figure a noisy machine does not move much,
 * unlike requests per second.
 */
export function cpuMs(pid: number): { process: number; mainThread: number } {
  return { process: statCpuMs(`/proc/${pid}/stat`), mainThread: statCpuMs(`/proc/${pid}/task/${pid}/stat`) };
}
