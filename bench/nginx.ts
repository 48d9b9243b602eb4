// nginx (Debian's nginx-light) serving fixed files: the ceiling reference for
// the report page, i.e. what wrk itself can drive on this machine. One worker
// process, as the app is one Node process; its own prefix and config in a
// temporary folder, a free loopback port, stopped by its PID.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../scripts/nginx-local';

export type NginxFile = { path: string; file: string; contentType: string; contentEncoding?: string };

export function nginxInstalled(): boolean {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startNginx(dir: string, files: NginxFile[]): Promise<{ proc: ChildProcess; url: string }> {
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const locations = files
    .map(
      (f) => `    location = ${f.path} {
      default_type ${JSON.stringify(f.contentType)};
      ${f.contentEncoding ? `add_header Content-Encoding ${f.contentEncoding};` : ''}
      alias ${f.file};
    }`,
    )
    .join('\n');
  // Temp paths are compiled in under /var/lib/nginx; everything goes to the prefix instead.
  const conf = `worker_processes 1;
master_process off;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 65s;
  etag off;
  server {
    listen 127.0.0.1:${port};
${locations}
  }
}
`;
  const confFile = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(confFile, conf);
  const proc = spawn('nginx', ['-p', prefix, '-c', confFile, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}: ${stderr.trim()}`);
    try {
      const res = await fetch(url + files[0].path);
      await res.arrayBuffer();
      if (res.status === 200) return { proc, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`nginx did not answer on ${url}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
