// npm run mail:inbound < message.eml — what the MTA pipes incoming mail to
// (see docs/mail.md for Postfix and Exim). Reads one message from standard
// input: bounces and auto-replies are recorded against the message they are
// about, anything else is kept for staff. Exit 0 when handled; 75 (EX_TEMPFAIL)
// when the database could not take it, so that the MTA keeps the message and
// tries again rather than bouncing the bounce.
import { handleInboundMail } from '../app/mail/inbound.server';
import { migrateToLatest, openDatabase } from '../app/server/db.server';
import { EnvError, getEnv } from '../app/utils/env.server';

const EX_USAGE = 64;
const EX_TEMPFAIL = 75;
/** Larger than any bounce or reply we expect; a bigger message is cut (its headers come first). */
const MAX_BYTES = 25 * 1024 * 1024;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    if (size >= MAX_BYTES) continue;
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).subarray(0, MAX_BYTES);
}

/** The envelope recipient as Postfix's local(8) and Exim's pipe transport give it to a pipe command. */
function envelopeRecipients(): string[] {
  return [process.env.ORIGINAL_RECIPIENT, process.env.RECIPIENT].filter((v): v is string => Boolean(v));
}

async function main(): Promise<number> {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : String(error));
    return EX_TEMPFAIL;
  }
  const raw = await readStdin();
  if (raw.length === 0) {
    console.error('標準入力にメールがありません / No message on standard input (npm run mail:inbound < message.eml).');
    return EX_USAGE;
  }
  const { db } = openDatabase(env.DATABASE_URL ?? env.DATABASE_PATH);
  try {
    await migrateToLatest(db);
    const outcome = await handleInboundMail(db, raw, { recipients: envelopeRecipients() });
    const summary =
      outcome.kind === 'inbound'
        ? { kind: outcome.kind, saved: outcome.saved }
        : {
            kind: outcome.kind,
            outboxMessageId: outcome.matched?.id ?? null,
            recorded: outcome.recorded,
            ...(outcome.kind === 'bounce' ? { recipients: outcome.recipients } : {}),
          };
    console.log(JSON.stringify(summary));
    return 0;
  } catch (error) {
    console.error(`mail:inbound failed: ${error instanceof Error ? error.message : String(error)}`);
    return EX_TEMPFAIL;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main();
