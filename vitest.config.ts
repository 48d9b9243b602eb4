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
  'tests/integration/search-index.test.ts',
  'tests/integration/write-queue.test.ts',
  'tests/integration/api-migration.test.ts',
];
const exclude = process.env.TEST_DATABASE_URL ? SQLITE_ONLY : [];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude,
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude,
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: ['tests/e2e/**/*.test.ts'],
          exclude,
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
