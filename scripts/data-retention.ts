// npm run data:retention [-- --dry-run] — remove the personal data of opinions
// settled longer than RETENTION_MONTHS (the server also does this daily).
// Prints the counts; a real run writes them to the audit log.
import { runRetention } from '../app/models/retention.server';
import { databaseTarget, migrateToLatest, openDatabase } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { formatSortableDateTime } from '../app/utils/local-time';
import { parseArgs, runCli, UsageError } from './cli';

await runCli(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const unknown = [...options.keys()].filter((k) => k !== 'dry-run');
  if (positional.length > 0 || unknown.length > 0 || (options.has('dry-run') && options.get('dry-run') !== true)) {
    throw new UsageError('Usage: npm run data:retention [-- --dry-run]');
  }
  const dryRun = options.has('dry-run');
  const { RETENTION_MONTHS } = getEnv();
  const { db } = openDatabase(databaseTarget());
  try {
    await migrateToLatest(db);
    const r = await runRetention(db, { months: RETENTION_MONTHS, dryRun, actorLabel: 'cli' });
    console.log(
      `${dryRun ? 'Dry run (nothing changed): would anonymise' : 'Anonymised'} ${
        r.opinions
      } opinion(s) settled before ${formatSortableDateTime(r.cutoff)} Asia/Shanghai ` +
        `(RETENTION_MONTHS=${r.months}); outbox messages: ${r.messages} masked, of which ${r.withdrawnMessages} unsent to the person withdrawn; ` +
        `address notes: ${r.notes}.`,
    );
  } finally {
    await db.destroy();
  }
});
