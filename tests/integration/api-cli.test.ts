// `npm run api-token:create` (scripts/api-token-create.ts): an operator makes
// a token from the command line, sees it once, and the running server accepts
// it with its scope and limit. Only a digest of it is stored.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresUrl, openDatabase } from '~/server/db.server';
import { apiClient } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';

const ROOT = path.resolve(__dirname, '../..');
let server: TestServer;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
});
afterAll(async () => {
  await server?.stop();
});

function createToken(...args: string[]) {
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/api-token-create.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      ...(isPostgresUrl(server.databasePath) ? { DATABASE_URL: server.databasePath } : { DATABASE_PATH: server.databasePath }),
    },
    encoding: 'utf8',
  });
  const token = /Token: (ikb_[A-Za-z0-9_-]{43})$/m.exec(run.stdout)?.[1] ?? '';
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, token };
}

describe('api-token:create', () => {
  it('prints a read token once; the server accepts it for reading and refuses it for writing', async () => {
    const run = createToken('--name', '郵便受付システム', '--scope', 'read');
    expect(run.status).toBe(0);
    expect(run.token).not.toBe('');
    expect(run.stdout.split(run.token)).toHaveLength(2);
    expect(run.stdout).toContain('このトークンは今回だけ表示されます');

    const read = await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { token: run.token });
    expect(read.status).toBe(404);
    const write = await api.call('POST', '/api/v1/opinions', { token: run.token, json: {} });
    expect(write.status).toBe(403);

    const { db } = openDatabase(server.databasePath);
    try {
      const row = await db.selectFrom('api_tokens').selectAll().where('name', '=', '郵便受付システム').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ scope: 'read', rate_limit_per_minute: 60, created_by_id: null, token_prefix: run.token.slice(0, 12) });
      expect(row.token_hash).toBe(createHash('sha256').update(run.token).digest('hex'));
      expect(row.last_used_at).not.toBeNull();
      const audit = await db
        .selectFrom('audit_log')
        .select(['actor_label', 'after_json'])
        .where('action', '=', 'api_token.create')
        .where('entity_id', '=', String(row.id))
        .executeTakeFirstOrThrow();
      expect(audit.actor_label).toBe('cli');
      expect(audit.after_json).not.toContain(run.token);
      // The token itself is nowhere in the database: in no row of any table
      // (PostgreSQL), in neither database file (SQLite).
      if (isPostgresUrl(server.databasePath)) {
        const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db);
        expect(tables.rows.length).toBeGreaterThan(10);
        for (const { name } of tables.rows) {
          const hits = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)} t where strpos(t::text, ${run.token}) > 0`.execute(db);
          expect(hits.rows[0].n, name).toBe(0);
        }
      }
    } finally {
      await db.destroy();
    }
    for (const file of [server.databasePath, `${server.databasePath}-wal`]) {
      if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(run.token)).toBe(false);
    }
  });

  it('gives the token its own limit per minute', async () => {
    const run = createToken('--name', '上限つき', '--scope', 'write', '--limit', '2');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2/min');
    for (let i = 0; i < 2; i++) expect((await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { token: run.token })).status).toBe(404);
    expect((await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { token: run.token })).status).toBe(429);
  });

  it('refuses a wrong scope, a missing name or an unknown flag with exit code 2 and creates nothing', async () => {
    const count = async () => {
      const { db } = openDatabase(server.databasePath);
      try {
        return (await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      } finally {
        await db.destroy();
      }
    };
    const before = await count();
    const scope = createToken('--name', 'x', '--scope', 'admin');
    expect(scope.status).toBe(2);
    expect(scope.stderr).toContain('--scope');
    const name = createToken('--scope', 'read');
    expect(name.status).toBe(2);
    expect(name.stderr).toContain('--name');
    const unknown = createToken('--name', 'x', '--scope', 'read', '--forever');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--forever');
    expect(await count()).toBe(before);
  });

  it('answers every call above as the OpenAPI document describes', async () => {
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body;
    expect(api.validateAll(doc as never).problems).toEqual([]);
  });
});
