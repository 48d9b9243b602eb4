// npm run user:create -- --email <email> --name <name> --role <staff|moderator|admin> [--password-stdin]
// Prints a generated password once, or takes one from standard input (for scripts).
import { createUser } from '../app/models/users.server';
import { UserCreateSchema } from '../app/schemas/staff-admin';
import { databaseTarget, migrateToLatest, openDatabase } from '../app/server/db.server';
import { generatePassword, passwordProblem } from '../app/utils/password.server';
import { UserError } from '../app/utils/user-error.server';
import { parseOptions, runCli, UsageError } from './cli';

const USAGE = 'Usage: npm run user:create -- --email <email> --name <name> --role <staff|moderator|admin> [--password-stdin]';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is what `echo` and here-strings add; it is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

await runCli(async () => {
  const { data, switches } = parseOptions(
    process.argv.slice(2),
    USAGE,
    UserCreateSchema,
    { email: 'email', name: 'displayName', role: 'role' },
    ['password-stdin'],
  );

  const fromStdin = switches.has('password-stdin');
  const password = fromStdin ? await readStdin() : generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`${problem} / The password does not meet the policy (at least 12 characters).`);

  const { db } = openDatabase(databaseTarget());
  try {
    await migrateToLatest(db);
    // A generated password has been seen on a console: its owner replaces it first.
    const user = await createUser(db, { ...data, password, mustChangePassword: !fromStdin }, { actor: null, actorLabel: 'cli' });
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
