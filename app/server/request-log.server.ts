import type { IncomingMessage, ServerResponse } from 'node:http';

/** One structured line per request, written when the response finishes. */
export function logRequest(req: IncomingMessage, res: ServerResponse, startedAt: bigint): void {
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  const path = (req.url ?? '').split('?')[0];
  process.stdout.write(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'request',
      method: req.method,
      path,
      status: res.statusCode,
      ms: Math.round(ms * 10) / 10,
    }) + '\n',
  );
}

export function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n';
  (level === 'info' ? process.stdout : process.stderr).write(line);
}
