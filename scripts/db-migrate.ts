// npm run db:migrate — bring the database (DATABASE_URL, else DATABASE_PATH) to the latest schema.
import { databaseTarget, migrateToLatest, openDatabase } from '../app/server/db.server';
import { runCli } from './cli';

await runCli(async () => {
  const { db } = openDatabase(databaseTarget());
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
  } finally {
    await db.destroy();
  }
});
