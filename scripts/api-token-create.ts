// npm run api-token:create -- --name <name> --scope <read|write> [--limit <calls per minute>]
// Creates an intake API token and prints it once (only its digest is stored).
import { createApiToken } from '../app/models/api-tokens.server';
import { apiTokenSchema } from '../app/schemas/api-tokens';
import { migrateToLatest, openDatabase } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { parseArgs, runCli, UsageError } from './cli';

const USAGE = 'Usage: npm run api-token:create -- --name <name> --scope <read|write> [--limit <calls per minute, default 60>]';
const KNOWN = new Set(['name', 'scope', 'limit']);

await runCli(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const unknown = [...options.keys()].filter((k) => !KNOWN.has(k));
  if (positional.length || unknown.length) {
    throw new UsageError(`引数が正しくありません / Unknown argument: ${[...positional, ...unknown.map((k) => `--${k}`)].join(' ')}. ${USAGE}`);
  }
  const value = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v : '';
  };
  const parsed = apiTokenSchema.safeParse({ name: value('name'), scope: value('scope'), rateLimitPerMinute: value('limit') });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = { name: '--name', scope: '--scope', rateLimitPerMinute: '--limit' }[String(issue.path[0])] ?? '';
    throw new UsageError(`${flag} ${issue.message} / ${flag} is missing or invalid. ${USAGE}`);
  }

  const { db } = openDatabase(getEnv().DATABASE_PATH);
  try {
    await migrateToLatest(db);
    const { token, secret } = await createApiToken(db, { actor: null, actorLabel: 'cli' }, parsed.data);
    console.log(`APIトークンを作成しました / Created ${token.scope} token "${token.name}" (id ${token.id}, ${token.rateLimitPerMinute}/min).`);
    console.log(`トークン / Token: ${secret}`);
    console.log('このトークンは今回だけ表示されます / This token is shown only once.');
  } finally {
    await db.destroy();
  }
});
