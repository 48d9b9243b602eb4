// Baseline for opinions: a bare node:http handler that parses the same
// urlencoded form and inserts one row with a durable commit, in its own process.
// Usage: node --import tsx bench/baseline-insert.ts <database-file>
import crypto from 'node:crypto';
import http from 'node:http';
import SQLite from 'better-sqlite3';

const sqlite = new SQLite(process.argv[2]);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('busy_timeout = 5000');
sqlite.exec(`create table if not exists opinions (
  id integer primary key autoincrement,
  tracking_number text not null unique,
  receipt_token text not null unique,
  section_number integer not null,
  item_number integer,
  body text not null,
  name text,
  email text,
  consent integer not null,
  received_at text not null
)`);
const insert = sqlite.prepare(
  `insert into opinions (tracking_number, receipt_token, section_number, item_number, body, name, email, consent, received_at)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const body = (form.get('body') ?? '').trim();
    if (body.length < 10) {
      res.writeHead(400).end();
      return;
    }
    const token = crypto.randomBytes(18).toString('base64url');
    insert.run(
      `XZ-2023-${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
      token,
      Number(form.get('section') ?? 0),
      form.get('item') ? Number(form.get('item')) : null,
      body,
      form.get('name') || null,
      form.get('email') || null,
      form.get('consent') === 'on' ? 1 : 0,
      new Date().toISOString(),
    );
    res.writeHead(303, { Location: `/receipts/${token}`, 'Content-Length': 0 }).end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`LISTENING ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
