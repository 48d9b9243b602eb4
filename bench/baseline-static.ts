// Baseline for the report page: a bare node:http server answering the same
// bytes the app served (already compressed, when they were), in its own process
// as the app is.
// Usage: node --import tsx bench/baseline-static.ts <body-file> <content-type> [content-encoding]
import fs from 'node:fs';
import http from 'node:http';

const [file, contentType, contentEncoding] = process.argv.slice(2);
const body = fs.readFileSync(file);
const headers: Record<string, string | number> = { 'Content-Type': contentType, 'Content-Length': body.length };
if (contentEncoding) headers['Content-Encoding'] = contentEncoding;

const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`LISTENING ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
