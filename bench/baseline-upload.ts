// Baseline for opinions with a photo: a bare node:http handler doing the same
// essential work as the app — read the multipart body, re-encode the photo
// with the same sharp settings (upright, at most 2,560 px, 320 px thumbnail),
// write both files durably under their SHA-256, insert one row with a durable
// commit — and nothing else (no validation, no mail, no page).
// Usage: node --import tsx bench/baseline-upload.ts <folder>
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import sharp from 'sharp';

sharp.cache(false);
const dir = process.argv[2];
fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
const sqlite = new SQLite(path.join(dir, 'baseline-upload.db'));
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.exec(`create table if not exists opinions (id integer primary key autoincrement, body text not null, photo text not null, thumb text not null, received_at text not null)`);
const insert = sqlite.prepare('insert into opinions (body, photo, thumb, received_at) values (?, ?, ?, ?)');

function store(bytes: Buffer): string {
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const target = path.join(dir, 'files', sha);
  if (fs.existsSync(target)) return sha;
  const temp = `${target}.${crypto.randomBytes(6).toString('hex')}`;
  const fd = fs.openSync(temp, 'w', 0o600);
  fs.writeSync(fd, bytes);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temp, target);
  return sha;
}

const server = http.createServer((req, res) => {
  const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1];
  if (req.method !== 'POST' || !boundary) return void res.writeHead(400).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    const marker = Buffer.from(`--${boundary}`);
    let text = '';
    let photo: Buffer | null = null;
    for (let at = body.indexOf(marker); at >= 0; ) {
      const next = body.indexOf(marker, at + marker.length);
      if (next < 0) break;
      const part = body.subarray(at + marker.length + 2, next - 2);
      const split = part.indexOf('\r\n\r\n');
      const head = part.subarray(0, split).toString('utf8');
      const value = part.subarray(split + 4);
      if (/name="body"/.test(head)) text = value.toString('utf8');
      if (/filename=/.test(head)) photo = value;
      at = next;
    }
    if (!photo || text.length < 10) return void res.writeHead(400).end();
    try {
      const image = await sharp(photo).rotate().resize({ width: 2560, height: 2560, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
      const thumb = await sharp(image).resize({ width: 320, height: 320, fit: 'inside' }).jpeg({ quality: 75 }).toBuffer();
      insert.run(text, store(image), store(thumb), new Date().toISOString());
      res.writeHead(303, { Location: '/receipts/x', 'Content-Length': 0 }).end();
    } catch {
      res.writeHead(415).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
