import type { MailTransport } from '~/mail/transport.server';

/** A transport that hands each message's subject to `record` (the outbox's own tests: what was sent, in order). */
export function subjectTransport(record: (subject: string) => void): MailTransport {
  return {
    kind: 'file',
    send: async (mail) => {
      record(mail.subject);
    },
    close: () => {},
  };
}
