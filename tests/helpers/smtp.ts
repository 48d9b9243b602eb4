// A real SMTP server on a random loopback port; every message is parsed with mailparser.
import fs from 'node:fs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './http';

export type TestSmtp = {
  url: string;
  port: number;
  messages: ParsedMail[];
  /** Make every RCPT answer with this code (e.g. 550) until set back to null. */
  rejectWith: (code: number | null) => void;
  stop: () => Promise<void>;
  /** Wait until at least n messages have arrived. */
  waitFor: (n: number, timeoutMs?: number) => Promise<ParsedMail[]>;
};

export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  let rejectCode: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // A reverse DNS lookup per connection costs ~200 ms here and tells a test nothing.
    disableReverseLookup: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (rejectCode) {
        const err = new Error('Mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = rejectCode;
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  // A sender killed mid-message resets its socket: that is the test's doing, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    messages,
    rejectWith: (code) => {
      rejectCode = code;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    waitFor: async (n, timeoutMs = 15_000) => {
      await waitFor(() => messages.length >= n, { timeout: timeoutMs, message: () => `${n} messages (got ${messages.length})` });
      return messages;
    },
  };
}

/** The whole messages the file transport wrote into `dir` (none when it is missing); a `.partial` is one still being written. */
export function emlFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
}
