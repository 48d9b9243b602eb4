// deploy/nginx.conf made runnable by a non-installed nginx on this machine:
// the nginx-cluster test and the bench's PostgreSQL part put it in front of
// app processes on random ports, with every path nginx writes in `dir`.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The first port the kernel hands out for `listen(0)` and outgoing connections (Linux's default 32768 where it cannot be read). */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32768;
  } catch {
    return 32768;
  }
}

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error)));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 for nginx to take a moment later, below the
 * ephemeral range: a port `listen(0)` had just returned was free again until
 * nginx bound it, and an app process started meanwhile on `PORT=0` was once
 * handed that very port (nginx then failed to bind, and the app answered in
 * its place).
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  // Below the usual registered services where the range leaves room; any unprivileged port otherwise.
  const low = high >= 11_000 ? 10_000 : 1024;
  if (high < low) throw new Error(`the kernel's ephemeral ports start at ${high + 1}: no port below them for nginx`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high} after 100 tries`);
}

/**
 * Writes `dir`/nginx.conf: deploy/nginx.conf's server block listening on
 * `port` in front of `upstreams`, serving `root`'s public/, with the paths
 * compiled into Debian's nginx (/var/lib/nginx, /var/log/nginx) moved to `dir`.
 * Returns the arguments to start /usr/sbin/nginx with.
 */
export function writeLocalNginxConfig(options: { root: string; dir: string; port: number; upstreams: number[]; accessLog: boolean }): string[] {
  const { root, dir, port, upstreams } = options;
  fs.mkdirSync(dir, { recursive: true });
  let site = fs.readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
  const replace = (from: RegExp, to: string) => {
    if (!from.test(site)) throw new Error(`deploy/nginx.conf no longer has ${from}: update scripts/nginx-local.ts`);
    site = site.replace(from, to);
  };
  replace(/^(\s*)server 127\.0\.0\.1:3001;\n\s*server 127\.0\.0\.1:3002;\n/m, upstreams.map((p) => `    server 127.0.0.1:${p};\n`).join(''));
  replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  replace(/\/srv\/ikenbako/g, root);
  const conf = `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${options.accessLog ? `${dir}/access.log` : 'off'};
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  return ['-p', `${dir}/`, '-c', file, '-e', path.join(dir, 'error.log')];
}
