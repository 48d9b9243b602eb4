// What the server and the backup script write is for their own user only:
// data/ and the mail folder 0700, the database (and its -wal/-shm), every .eml,
// the generated session secret and backups 0600 — even under a permissive
// umask. `npm start` runs in production by default and, without
// SESSION_SECRET, generates one into data/session-secret.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db';
import { emlFiles } from '../helpers/smtp';
import { startTestServer, type TestServer } from '../helpers/server';

const ROOT = path.resolve(__dirname, '../..');
const SLUG = 'xiuzhou-inspection-2023';
let server: TestServer;
let dataDir: string;
let previousUmask: number;

const mode = (file: string) => fs.statSync(file).mode & 0o777;

beforeAll(async () => {
  // Children inherit this: without our own modes, files would be group-writable and world-readable.
  previousUmask = process.umask(0o002);
  dataDir = path.join(tempDir('ikenbako-files-'), 'data');
  server = await startTestServer({
    DATABASE_PATH: path.join(dataDir, 'ikenbako.db'),
    MAIL_DIR: path.join(dataDir, 'mail'),
    SESSION_SECRET: '',
  });
});
afterAll(async () => {
  await server?.stop();
  process.umask(previousUmask);
});

describe('file modes', () => {
  it('data/, the database, the session secret and every .eml are owner-only', async () => {
    const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ section: '1', item: '', body: 'ファイルの権限を確かめる意見です。', email: 'mode.check@example.jp', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    const mailDir = path.join(dataDir, 'mail');
    await expect.poll(() => emlFiles(mailDir).length, { timeout: 15_000 }).toBe(2);

    expect(mode(dataDir)).toBe(0o700);
    expect(mode(mailDir)).toBe(0o700);
    for (const file of ['ikenbako.db', 'ikenbako.db-wal', 'ikenbako.db-shm', 'session-secret']) {
      expect(mode(path.join(dataDir, file)).toString(8), file).toBe('600');
    }
    for (const eml of fs.readdirSync(mailDir)) expect(mode(path.join(mailDir, eml)).toString(8), eml).toBe('600');
    expect(fs.readFileSync(path.join(dataDir, 'session-secret'), 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  });

  it('npm run db:backup writes an owner-only copy in an owner-only folder', async () => {
    const target = path.join(path.dirname(dataDir), 'backups', 'nightly', 'copy.db');
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/db-backup.ts', target], {
        cwd: ROOT,
        env: { NODE_ENV: 'development', PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: path.join(dataDir, 'ikenbako.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      proc.stdout.on('data', (d) => (text += d));
      proc.stderr.on('data', (d) => (text += d));
      proc.on('exit', (code) => resolve({ code, text }));
    });
    expect(out.code, out.text).toBe(0);
    expect(mode(target).toString(8)).toBe('600');
    expect(mode(path.dirname(target)).toString(8)).toBe('700');
    expect(mode(path.dirname(path.dirname(target))).toString(8)).toBe('700');
  });
});

describe('npm start', () => {
  it('runs in production without any setting, generating the session secret once into data/', async () => {
    const dir = path.join(tempDir('ikenbako-start-'), 'data');
    const start = () => {
      const proc = spawn('npm', ['start'], {
        cwd: ROOT,
        // No NODE_ENV, no SESSION_SECRET: the two-command start.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATABASE_PATH: path.join(dir, 'ikenbako.db'), MAIL_DIR: path.join(dir, 'mail') } as unknown as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      proc.stdout.on('data', (d) => (output += d));
      proc.stderr.on('data', (d) => (output += d));
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      return {
        output: () => output,
        // npm, sh and node: stop the whole group this test started.
        stop: async () => {
          if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGTERM');
          await exited;
        },
      };
    };
    const first = start();
    try {
      await expect.poll(() => /"msg":"listening"/.test(first.output()), { timeout: 60_000, interval: 200 }).toBe(true);
      expect(first.output()).toMatch(/"msg":"listening".*"mode":"production"/);
    } finally {
      await first.stop();
    }
    const secretFile = path.join(dir, 'session-secret');
    expect(mode(secretFile).toString(8)).toBe('600');
    const secret = fs.readFileSync(secretFile, 'utf8');

    const second = start();
    try {
      await expect.poll(() => /"msg":"listening"/.test(second.output()), { timeout: 60_000, interval: 200 }).toBe(true);
    } finally {
      await second.stop();
    }
    expect(fs.readFileSync(secretFile, 'utf8')).toBe(secret);
  });
});
