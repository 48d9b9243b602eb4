// Integration and browser tests run the real production build: build it once
// (only when sources changed) before any test file starts a server. On the
// PostgreSQL run, the databases the run's test servers made are dropped at the end.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

export default function setup() {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/ensure-build.mjs')], { stdio: 'inherit' });
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return undefined;
  const startedAt = new Date();
  return async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // Test databases are named ikenbako_t_<pid>_<random> (tests/helpers/postgres.ts);
      // only those this run made (created since it started) and nobody still uses.
      const { rows } = await client.query<{ datname: string }>(
        `select datname from pg_database where datname like 'ikenbako\\_t\\_%'
           and (pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification >= $1`,
        [startedAt],
      );
      for (const { datname } of rows) await client.query(`drop database if exists ${datname}`).catch(() => undefined);
    } catch (error) {
      console.warn(`test databases left on ${new URL(url).host}: ${(error as Error).message}`);
    } finally {
      await client.end();
    }
  };
}
