// npm run user:create -- --email <email> --name <name> --role <staff|moderator|admin> [--password-stdin]
// Prints a generated password once, or takes one from standard input (for scripts).
import { createUser } from '../app/models/users.server';
import { UserCreateSchema } from '../app/schemas/staff-admin';
import { migrateToLatest, openDatabase } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { generatePassword, passwordProblem } from '../app/utils/password.server';
import { UserError } from '../app/utils/user-error.server';
import { parseArgs, runCli, UsageError } from './cli';

const USAGE = 'Usage: npm run user:create -- --email <email> --name <name> --role <staff|moderator|admin> [--password-stdin]';
const KNOWN = new Set(['email', 'name', 'role', 'password-stdin']);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is what `echo` and here-strings add; it is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

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
  const parsed = UserCreateSchema.safeParse({ email: value('email'), displayName: value('name'), role: value('role') });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = { email: '--email', displayName: '--name', role: '--role' }[String(issue.path[0])] ?? '';
    throw new UsageError(`${flag} ${issue.message} / ${flag} is missing or invalid. ${USAGE}`);
  }

  const fromStdin = options.get('password-stdin') === true;
  const password = fromStdin ? await readStdin() : generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`${problem} / The password does not meet the policy (at least 12 characters).`);

  const { db } = openDatabase(getEnv().DATABASE_PATH);
  try {
    await migrateToLatest(db);
    // A generated password has been seen on a console: its owner replaces it first.
    const user = await createUser(db, { ...parsed.data, password, mustChangePassword: !fromStdin }, { actor: null, actorLabel: 'cli' });
    console.log(`利用者を作成しました / Created ${user.role} ${user.email} (id ${user.id}).`);
    if (!fromStdin) {
      console.log(`パスワード / Password: ${password}`);
      console.log('このパスワードは今回だけ表示されます。最初のサインインで変更が必要です / This password is shown only once and must be changed at the first sign-in.');
    }
  } catch (error) {
    if (error instanceof UserError) {
      throw new UsageError(`${error.message} / ${error.status === 409 ? 'A user with this email already exists.' : 'Rejected.'}`);
    }
    throw error;
  } finally {
    await db.destroy();
  }
});
