// npm run api-token:create -- --name <name> --scope <read|write> [--limit <calls per minute>]
// Creates an intake API token and prints it once (only its digest is stored).
import { createApiToken } from '../app/models/api-tokens.server';
import { apiTokenSchema } from '../app/schemas/api-tokens';
import { databaseTarget, migrateToLatest, openDatabase } from '../app/server/db.server';
import { parseOptions, runCli } from './cli';

const USAGE = 'Usage: npm run api-token:create -- --name <name> --scope <read|write> [--limit <calls per minute, default 60>]';

await runCli(async () => {
  const { data } = parseOptions(process.argv.slice(2), USAGE, apiTokenSchema, { name: 'name', scope: 'scope', limit: 'rateLimitPerMinute' });

  const { db } = openDatabase(databaseTarget());
  try {
    await migrateToLatest(db);
    const { token, secret } = await createApiToken(db, { actor: null, actorLabel: 'cli' }, data);
    console.log(`APIトークンを作成しました / Created ${token.scope} token "${token.name}" (id ${token.id}, ${token.rateLimitPerMinute}/min).`);
    console.log(`トークン / Token: ${secret}`);
    console.log('このトークンは今回だけ表示されます / This token is shown only once.');
  } finally {
    await db.destroy();
  }
});
