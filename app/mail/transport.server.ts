// Delivers one message. With SMTP_URL it goes out over SMTP; without, it is
// written as an .eml file into MAIL_DIR (the embedded default), one log line
// per message. Headers are built by nodemailer only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import { getEnv } from '~/utils/env.server';
import { randomBytes } from '~/utils/random-bytes.server';
import { log } from '~/server/request-log.server';
import { returnPathFor } from './verp.server';

// On the main thread (OPINION_THREADS=0) a message is written in libuv's
// thread pool, through fs's callback functions rather than fs.promises (a
// FileHandle per message took ~20 % more CPU): creating a file in a folder of
// thousands took the event loop a third of a millisecond per message under a
// surge, and every page read would wait behind it.
const writeFile = promisify(fs.writeFile);
const rename = promisify(fs.rename);

/**
 * Off the main thread (the first opinion thread delivers the outbox) the same
 * writes are made in place: on this 2-core VM each of the thread pool's round
 * trips (open, write, close, rename) costs a wake-up of a pool thread and
 * back, ~250 µs of CPU per message in all against ~45 µs written in place
 * (2,000 messages one at a time into a folder of 5,000, on a worker thread;
 * decision 018, twenty-fifth amendment). The thread's other work (posts,
 * renders for the page cache) waits those ~40 µs instead of the pool.
 */
const inPlace = !isMainThread;

function writePartial(partial: string, message: Buffer): Promise<void> | void {
  if (inPlace) fs.writeFileSync(partial, message, { mode: 0o600 });
  else return writeFile(partial, message, { mode: 0o600 });
}

function renameWhole(partial: string, file: string): Promise<void> | void {
  if (inPlace) fs.renameSync(partial, file);
  else return rename(partial, file);
}

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<uuid@host>`, the same on every retry. */
  messageId: string;
};

export type MailTransport = {
  kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
};

/** A header value cannot carry a line break (header injection). */
export function headerSafe(value: string): string {
  return value.replace(/[\r\n\u0000]+/g, ' ').trim();
}

function message(from: string, mail: OutgoingMail) {
  // Bounces come back to an address that names this message (./verp.server).
  // The envelope sender is what an MTA bounces to; the header is for the
  // .eml files of the file transport, where no MTA would add it.
  const returnPath = returnPathFor(getEnv().MAIL_BOUNCE_ADDRESS, mail.messageId);
  return {
    from,
    to: headerSafe(mail.to),
    subject: headerSafe(mail.subject),
    messageId: headerSafe(mail.messageId),
    text: mail.text,
    html: mail.html,
    textEncoding: 'base64' as const,
    // The shared part of the multipart boundaries, which nodemailer would
    // otherwise draw from OpenSSL once for every part of the message.
    baseBoundary: randomBytes(8).toString('hex'),
    ...(returnPath ? { envelope: { from: returnPath, to: headerSafe(mail.to) }, headers: { 'Return-Path': `<${returnPath}>` } } : {}),
  };
}

export function createMailTransport(options: { smtpUrl?: string; mailDir?: string; from?: string } = {}): MailTransport {
  const env = getEnv();
  const smtpUrl = 'smtpUrl' in options ? options.smtpUrl : env.SMTP_URL;
  const from = options.from ?? env.MAIL_FROM;

  if (smtpUrl) {
    const transporter = nodemailer.createTransport({
      url: smtpUrl,
      // A hung server must not hold the worker (or shutdown) for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as nodemailer.TransportOptions);
    return {
      kind: 'smtp',
      async send(mail) {
        await transporter.sendMail(message(from, mail));
      },
      close: () => transporter.close(),
    };
  }

  const dir = path.resolve(options.mailDir ?? env.MAIL_DIR);
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail) {
      const info = await transporter.sendMail(message(from, mail));
      const id = mail.messageId.replace(/^<|@.*$/g, '').replace(/[^A-Za-z0-9-]/g, '') || crypto.randomUUID();
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`);
      // A message holds a citizen's name and contact: owner-only. Written
      // under a name that is not an .eml and renamed when whole, so whoever
      // reads the folder never finds half a message.
      const partial = path.join(dir, `.${path.basename(file)}.partial`);
      const write = () => writePartial(partial, info.message as Buffer);
      try {
        await write();
      } catch (error) {
        // The folder is made when the first message finds it missing (or
        // moved away since), not checked for every message.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
        await write();
      }
      // Not retried: a partial gone before its rename was removed by an
      // erasure, and the outbox sends again from the row it rewrote.
      await renameWhole(partial, file);
      log('info', 'mail written', { file, to: mail.to, subject: mail.subject, messageId: mail.messageId });
    },
    close: () => transporter.close(),
  };
}
