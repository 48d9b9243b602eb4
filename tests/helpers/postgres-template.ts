// Global setup of every project on the PostgreSQL run (npm run test:pg): one
// migrated database per run, the template that createMigratedPostgresDatabase
// (postgres.ts) copies for each test file and test server instead of running
// every migration again. The project whose setup made it drops it at the end.
import type { TestProject } from 'vitest/node';
import { createPostgresTemplate, dropPostgresDatabase, onPostgres } from './postgres';

export default async function setup(project: TestProject) {
  if (!onPostgres) return;
  // Every project's global setup runs in this one process: the first makes the template.
  const made = process.env.IKENBAKO_TEST_TEMPLATE_URL;
  const template = made ?? (process.env.IKENBAKO_TEST_TEMPLATE_URL = await createPostgresTemplate());
  project.provide('postgresTemplate', template);
  return made ? undefined : () => dropPostgresDatabase(template);
}
