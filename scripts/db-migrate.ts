// npm run db:migrate — bring the database at DATABASE_PATH to the latest schema.
import { migrateToLatest, openDatabase } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { runCli } from './cli';

await runCli(async () => {
  const { DATABASE_PATH } = getEnv();
  const { db } = openDatabase(DATABASE_PATH);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
  } finally {
    await db.destroy();
  }
});
