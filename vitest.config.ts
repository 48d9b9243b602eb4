import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '~': path.resolve(__dirname, 'app') };

/**
 * `npm run test:pg` (TEST_DATABASE_URL set) runs the same files against
 * PostgreSQL, except these: they test SQLite's own machinery (the writer
 * thread, WAL faults, FTS5 migrations, the file backup), which PostgreSQL
 * does not have. Their PostgreSQL counterparts are tests of their own.
 */
const SQLITE_ONLY = [
  'tests/integration/db-writer.test.ts',
  'tests/integration/faults.test.ts',
  'tests/integration/fts-migration.test.ts',
  'tests/integration/grams-migration.test.ts',
  'tests/integration/fts-merge-migration.test.ts',
  'tests/integration/bench-seed.test.ts',
  'tests/integration/search-index.test.ts',
  'tests/integration/search-walk.test.ts',
  'tests/integration/search-newest-first.test.ts',
  'tests/integration/write-queue.test.ts',
  'tests/integration/api-migration.test.ts',
];
/** A list of files that names one no longer there is a mistake, not an empty run. */
function mustExist(files: string[], listed: string): void {
  for (const file of files) {
    if (!fs.existsSync(path.join(__dirname, file))) throw new Error(`vitest.config.ts: ${file} is listed ${listed} but does not exist`);
  }
}

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const exclude = onPostgres ? SQLITE_ONLY : [];
/** On PostgreSQL every project migrates one template database per run, which test databases copy. */
const postgresTemplate = onPostgres ? ['tests/helpers/postgres-template.ts'] : [];

/**
 * The unit, integration and browser files run two at a time (each integration file
 * starts servers of its own, on random ports, with a database of its own, and
 * spends much of its time waiting on them). These run afterwards, one at a
 * time, alone on the machine: they hold fsyncs, kill servers mid-write and
 * wait for what follows within a deadline, which a second file's load can
 * push past.
 */
const SERIAL = ['tests/integration/faults.test.ts'];
const PARALLEL_FILES = 2;
mustExist(SERIAL, 'as serial');

/**
 * On PostgreSQL the browser project runs these journeys only: a citizen's
 * opinion from the form to its receipt, an account from sign-in to its second
 * factor, staff triage and search, a reply published. The browser sees the
 * same pages whatever the database; what depends on the dialect (every route,
 * every guarantee) is the integration suite's, which runs whole on both.
 */
const POSTGRES_BROWSER = ['opinions', 'account-journey', 'staff-console', 'replies'].map((name) => `tests/e2e/${name}.test.ts`);
mustExist(POSTGRES_BROWSER, 'for PostgreSQL');

/** On the PostgreSQL run, the unit files that touch a database (the rest have nothing to say about it). */
function unitFiles(): string[] {
  if (!onPostgres) return ['tests/unit/**/*.test.ts'];
  const dir = path.join(__dirname, 'tests/unit');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && /helpers\/(db|server)'|openDatabase/.test(fs.readFileSync(path.join(dir, f), 'utf8')))
    .map((f) => `tests/unit/${f}`);
}

/**
 * Each unit and integration file runs in a worker thread of its own (vitest's default is a child
 * process per file): ~0.7 s of CPU less per file, measured over ten integration
 * files (37.8 -> 30.5 CPU-s, 24 -> 18 s). A thread gets its own copy of
 * process.env, so a file that sets a variable sets it for itself alone. The
 * browser files stay in child processes: there Chromium's work is all of the
 * cost, and two files measured the same either way.
 */
const POOL = 'threads' as const;
/** These need a process of their own (process.umask() cannot be set from a worker thread): the integration-process project. */
const PROCESS_ONLY = ['tests/integration/private-files.test.ts'];
mustExist(PROCESS_ONLY, 'as needing a process');

/** What the three integration projects share: servers built and started, with time to start them. */
const INTEGRATION = {
  environment: 'node',
  globalSetup: ['tests/helpers/global-setup.ts', ...postgresTemplate],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: unitFiles(),
          exclude,
          environment: 'node',
          pool: POOL,
          globalSetup: postgresTemplate,
          maxWorkers: PARALLEL_FILES,
        },
      },
      {
        resolve: { alias },
        test: {
          ...INTEGRATION,
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...exclude, ...SERIAL, ...PROCESS_ONLY],
          pool: POOL,
          maxWorkers: PARALLEL_FILES,
        },
      },
      {
        resolve: { alias },
        test: {
          ...INTEGRATION,
          name: 'integration-process',
          include: PROCESS_ONLY,
          exclude,
          pool: 'forks',
          maxWorkers: PARALLEL_FILES,
        },
      },
      {
        resolve: { alias },
        test: {
          ...INTEGRATION,
          name: 'integration-serial',
          include: SERIAL,
          exclude,
          pool: POOL,
          // maxWorkers 1: vitest runs such a project after the parallel ones, alone.
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: onPostgres ? POSTGRES_BROWSER : ['tests/e2e/**/*.test.ts'],
          exclude,
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts', ...postgresTemplate],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Two files at a time, each with its own Chromium (fresh profile) and server.
          maxWorkers: PARALLEL_FILES,
        },
      },
    ],
  },
});
