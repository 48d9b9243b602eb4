// The operations commands from the README, run as an operator would, against a
// database the production server is using at the same time.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH, tempDir } from '../helpers/db';
import { postForm, waitFor } from '../helpers/http';
import { onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseEnv } from '../helpers/staff';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
let server: TestServer;

function cli(script: string, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', ...databaseEnv(server.databasePath), ...env },
  });
}

async function postOpinion(i: number) {
  return postForm(`${server.url}/reports/xiuzhou-inspection-2023/opinions`, {
    section: String((i % 13) + 1),
    body: `バックアップ中に届いた意見その${i}です。`,
    consent: 'on',
  });
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100000' });
});
afterAll(async () => {
  await server?.stop();
});

describe('operations', () => {
  // db:backup copies a SQLite file; PostgreSQL is backed up with pg_dump.
  if (!onPostgres) it('backs up online while opinions are being written, and the copy is consistent', async () => {
    for (let i = 0; i < 20; i++) expect((await postOpinion(i)).status).toBe(303);
    const target = path.join(tempDir(), 'backup.db');
    const writing = Promise.all(Array.from({ length: 30 }, (_, i) => postOpinion(100 + i)));
    const { stdout } = await cli('db-backup.ts', [target]);
    const answers = await writing;
    expect(answers.every((r) => r.status === 303)).toBe(true);
    expect(stdout).toContain('integrity ok');

    const copy = new SQLite(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const n = (copy.prepare('select count(*) as n from opinions').get() as { n: number }).n;
      expect(n).toBeGreaterThanOrEqual(20);
      expect(n).toBeLessThanOrEqual(50);
      const orphans = copy
        .prepare(`select count(*) as n from opinions o where not exists (select 1 from outbox_messages m where m.opinion_id = o.id)`)
        .get() as { n: number };
      expect(orphans.n).toBe(0);
    } finally {
      copy.close();
    }
  });

  if (onPostgres) it('refuses to back up PostgreSQL and points at pg_dump, exit code 2', async () => {
    for (let i = 0; i < 3; i++) expect((await postOpinion(i)).status).toBe(303);
    const target = path.join(tempDir(), 'backup.db');
    const error = (await cli('db-backup.ts', [target]).catch((e) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain('pg_dump');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a backup without a target, with a usage line and exit code 2', async () => {
    const error = (await cli('db-backup.ts', []).catch((e) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain('Usage: npm run db:backup -- <file>');
  });

  it('imports a revised notice while the server runs, and the page shows it within a second', async () => {
    const revised = path.join(tempDir(), 'revised.txt');
    fs.writeFileSync(revised, fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8').replace('(一)政策支持を強化する。', '(一)政策支援を一層強化する。'));
    const first = await cli('notice-import.ts', [revised, '--slug', 'xiuzhou-inspection-2023']);
    expect(first.stdout).toContain('revision 2');
    const again = await cli('notice-import.ts', [revised, '--slug', 'xiuzhou-inspection-2023']);
    expect(again.stdout).toContain('Unchanged');

    // The page cache checks the content version at most once a second.
    const html = await waitFor(
      async () => {
        const page = await (await fetch(`${server.url}/reports/xiuzhou-inspection-2023`)).text();
        return page.includes('政策支援を一層強化する。') && page;
      },
      { timeout: 1_500, message: 'the revised notice on the page' },
    );
    expect(html).not.toContain('(一)政策支持を強化する。');
  });

  it('refuses a malformed notice with the line and the problem, writing nothing', async () => {
    const broken = path.join(tempDir(), 'broken.txt');
    fs.writeFileSync(broken, fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8').replace('三、「区委員会は質の高い', '四、「区委員会は質の高い'));
    const error = (await cli('notice-import.ts', [broken, '--slug', 'broken-notice']).catch((e) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/\d+行目: 第3項の番号が飛んでいます/);
    const { db } = openDatabase(server.databasePath);
    try {
      expect(await db.selectFrom('reports').select('id').where('slug', '=', 'broken-notice').execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('stops start-up with one line naming a bad variable', async () => {
    const error = (await run(process.execPath, ['server.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'development', PORT: 'eighty', DATABASE_PATH: path.join(tempDir(), 'x.db') },
    }).catch((e) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr.trim().split('\n')).toHaveLength(1);
    expect(error.stderr).toContain('PORT');
  });
});
