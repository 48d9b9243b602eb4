// Starts the production server (node server.js) on a random port with its own
// database file, as a real user would meet it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { tempDir } from './db';
import { createMigratedPostgresDatabase, onPostgres } from './postgres';
import { serverNodeFlags } from '../../scripts/server-node-flags.mjs';

const ROOT = path.resolve(__dirname, '../..');
// As `npm start` runs it (its heap ceiling among the flags), read once per test file.
const SERVER_NODE_FLAGS = serverNodeFlags();

export type TestServer = {
  url: string;
  port: number;
  proc: ChildProcess;
  /** The SQLite file, or on the PostgreSQL run (npm run test:pg) the database's URL. */
  databasePath: string;
  /** The folder beside DATABASE_PATH (session secret file, initial admin password, uploads). */
  dataDir: string;
  mailDir: string;
  logs: () => string;
  /** SIGTERM and wait for exit. */
  stop: () => Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill: () => Promise<void>;
};

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = tempDir('ikenbako-srv-');
  // On the PostgreSQL run each server gets a fresh database unless given one (migrated:
  // a copy of the run's template; the server's own migration at start finds nothing to do).
  const databasePath = env.DATABASE_PATH ?? (onPostgres ? await createMigratedPostgresDatabase() : path.join(dir, 'ikenbako.db'));
  const postgres = /^postgres(ql)?:\/\//.test(databasePath);
  const mailDir = env.MAIL_DIR ?? path.join(dir, 'mail');
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'server.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: 'http://localhost:3000',
      OUTBOX_POLL_MS: '200',
      // Tests of two-factor sign-in set it; the rest sign in with a password alone.
      REQUIRE_2FA: 'none',
      ...env,
      ...(postgres ? { DATABASE_URL: databasePath, DATABASE_PATH: path.join(dir, 'ikenbako.db') } : { DATABASE_PATH: databasePath }),
      MAIL_DIR: mailDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const m = /"msg":"listening","url":"(http:\/\/[^"]+)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // A server that ends when no test asked it to (a crash, a signal from outside)
  // says so on the test run's output with its last lines: a failing test then
  // shows why, not only that the connection broke.
  let stopping = false;
  void exited.then((code) => {
    if (!stopping) process.stderr.write(`[test server ${proc.pid}] exited unasked (code ${code}, signal ${proc.signalCode}); its last output:\n${output.slice(-4000)}\n`);
  });
  return {
    url,
    port: Number(new URL(url).port),
    proc,
    databasePath,
    dataDir: postgres ? dir : path.dirname(databasePath),
    mailDir,
    logs: () => output,
    stop: async () => {
      stopping = true;
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      stopping = true;
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
