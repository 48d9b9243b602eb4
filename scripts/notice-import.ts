// npm run notice:import -- <file> [--slug <slug>]
// The same text again changes nothing; a changed text becomes a new revision.
import fs from 'node:fs';
import path from 'node:path';
import { importNotice, SLUG_PATTERN } from '../app/models/notices.server';
import { migrateToLatest, openDatabase } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { NoticeParseError } from '../app/domain/notice-parser.server';
import { parseArgs, runCli, UsageError } from './cli';

await runCli(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const file = positional[0];
  if (!file) throw new UsageError('Usage: npm run notice:import -- <file> [--slug <slug>]');
  if (!fs.existsSync(file)) throw new UsageError(`File not found: ${file} (ファイルが見つかりません)`);
  const slugOption = options.get('slug');
  const slug = typeof slugOption === 'string' ? slugOption : path.basename(file).replace(/\.[^.]+$/, '').toLowerCase();
  if (!SLUG_PATTERN.test(slug)) throw new UsageError(`Invalid slug "${slug}": use a-z, 0-9 and hyphens (--slug で指定してください)`);

  const { db } = openDatabase(getEnv().DATABASE_PATH);
  try {
    await migrateToLatest(db);
    const result = await importNotice(db, fs.readFileSync(file), slug);
    const what = { created: 'Imported as a new report', revised: 'Imported as a new revision', unchanged: 'Unchanged: nothing written' }[result.status];
    console.log(`${what}: /reports/${slug} (revision ${result.revisionNo}, ${result.sections} sections, ${result.items} items)`);
  } catch (error) {
    if (error instanceof NoticeParseError) throw new UsageError(`${file}:${error.message}`);
    throw error;
  } finally {
    await db.destroy();
  }
});
