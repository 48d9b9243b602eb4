// npm run notice:import -- <file> [--slug <slug>] [--opens <YYYY-MM-DDTHH:mm>|none] [--closes <YYYY-MM-DDTHH:mm>|none]
// npm run notice:import -- <file> --lang zh-Hans|en|ja [--slug <slug>]: a translation of the same
// notice (its latest revision), in the format of app/domain/notice-translation.server.ts.
// The same text again changes nothing; a changed text becomes a new revision.
// --opens/--closes (Asia/Shanghai) set the comment period; `none` removes a
// bound (`--closes none` reopens a closed notice); left out, a bound stays.
import fs from 'node:fs';
import path from 'node:path';
import { importNotice, SLUG_PATTERN } from '../app/models/notices.server';
import { databaseTarget, migrateToLatest, openDatabase } from '../app/server/db.server';
import { NoticeParseError } from '../app/domain/notice-parser.server';
import { readLocalBound } from '../app/domain/comment-period';
import { UserError } from '../app/utils/user-error.server';
import { parseArgs, runCli, UsageError } from './cli';
import { importNoticeTranslation } from '../app/models/notice-translations.server';
import { NoticeTranslationError } from '../app/domain/notice-translation.server';
import { isLanguage, LANGUAGES } from '../app/i18n/config';

const USAGE =
  'Usage: npm run notice:import -- <file> [--slug <slug>] [--opens 2026-01-05T09:00|none] [--closes 2026-02-05T17:00|none]\n' +
  '       npm run notice:import -- <translation file> --lang zh-Hans|en|ja [--slug <slug>]';

/** A --opens/--closes value: undefined when not given; exits with a usage error when unreadable. */
function periodBound(options: Map<string, string | true>, name: 'opens' | 'closes'): string | null | undefined {
  if (!options.has(name)) return undefined;
  const raw = options.get(name);
  const value = typeof raw === 'string' ? readLocalBound(raw) : undefined;
  if (value === undefined) {
    throw new UsageError(`--${name}: "${raw === true ? '' : raw}" is not YYYY-MM-DDTHH:mm (Asia/Shanghai) or none (日時の形式が正しくありません)\n${USAGE}`);
  }
  return value;
}

await runCli(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const file = positional[0];
  if (!file) throw new UsageError(USAGE);
  if (!fs.existsSync(file)) throw new UsageError(`File not found: ${file} (ファイルが見つかりません)`);
  const slugOption = options.get('slug');
  const langOption = options.get('lang');
  if (langOption !== undefined && !isLanguage(langOption)) throw new UsageError(`--lang: "${langOption === true ? '' : langOption}" is not one of ${LANGUAGES.join(', ')}\n${USAGE}`);
  // notice.zh-Hans.txt names the notice "notice".
  const stem = path.basename(file).replace(/\.[^.]+$/, '').replace(new RegExp(`\\.(${LANGUAGES.join('|')})$`, 'i'), '');
  const slug = typeof slugOption === 'string' ? slugOption : stem.toLowerCase();
  if (!SLUG_PATTERN.test(slug)) throw new UsageError(`Invalid slug "${slug}": use a-z, 0-9 and hyphens (--slug で指定してください)`);
  const opensAt = periodBound(options, 'opens');
  const closesAt = periodBound(options, 'closes');

  const { db } = openDatabase(databaseTarget());
  try {
    await migrateToLatest(db);
    if (isLanguage(langOption)) {
      const result = await importNoticeTranslation(db, fs.readFileSync(file, 'utf8'), slug, langOption);
      const what = { created: 'Imported a new translation', replaced: 'Replaced the translation', unchanged: 'Unchanged translation: nothing written' }[result.status];
      console.log(`${what} (${langOption}) of /reports/${slug} revision ${result.revisionNo}: ${result.sections} sections, ${result.items} items`);
      return;
    }
    const result = await importNotice(db, fs.readFileSync(file), slug, { opensAt, closesAt, actorLabel: 'cli' });
    const what = { created: 'Imported as a new report', revised: 'Imported as a new revision', unchanged: 'Unchanged text: no new revision' }[result.status];
    console.log(`${what}: /reports/${slug} (revision ${result.revisionNo}, ${result.sections} sections, ${result.items} items)`);
    if (opensAt !== undefined || closesAt !== undefined) console.log(`Comment period: ${opensAt ?? 'open'} – ${closesAt ?? 'no end'}`);
  } catch (error) {
    if (error instanceof NoticeParseError) throw new UsageError(`${file}:${error.message}`);
    if (error instanceof NoticeTranslationError) throw new UsageError(`${file}: ${error.message}; nothing was written`);
    if (error instanceof UserError) throw new UsageError(error.message);
    throw error;
  } finally {
    await db.destroy();
  }
});
