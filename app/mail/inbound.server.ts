// One incoming message, as an MTA pipes it to `npm run mail:inbound`
// (FixMyStreet's handler works the same way). A delivery status notification
// (RFC 3464) marks the message it is about as bounced, hard (5.x.x) or soft
// (4.x.x); an auto-reply (RFC 3834 Auto-Submitted, or the usual vacation
// headers) is recorded and otherwise ignored; anything else is kept for staff.
// The message it is about is found by the VERP address it came back to
// (./verp.server), else by the Message-IDs it quotes.
import { simpleParser, type ParsedMail, type AddressObject } from 'mailparser';
import type { BounceType } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { findOutboxMessage, recordMailEvent, type MatchedOutboxMessage } from '~/models/mail-events.server';
import { saveInboundMessage } from '~/models/inbound-messages.server';
import { tokenFromAddress } from './verp.server';

export type DsnRecipient = {
  recipient: string | null;
  action: string | null;
  status: string | null;
  diagnostic: string | null;
  type: BounceType;
};

export type InboundOutcome =
  | { kind: 'bounce'; matched: MatchedOutboxMessage | null; recipients: DsnRecipient[]; recorded: number }
  | { kind: 'auto_reply'; matched: MatchedOutboxMessage | null; recorded: number }
  | { kind: 'inbound'; saved: boolean };

/** Header fields in blocks separated by blank lines (RFC 3464 §2.1), continuation lines unfolded, names lower-cased. */
export function parseDeliveryStatus(text: string): Array<Map<string, string>> {
  const blocks: Array<Map<string, string>> = [];
  let block = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (block.size) blocks.push(block);
      block = new Map();
      last = null;
    } else if (/^[ \t]/.test(line) && last) {
      block.set(last, `${block.get(last)} ${line.trim()}`);
    } else {
      const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1].toLowerCase();
      block.set(last, m[2].trim());
    }
  }
  if (block.size) blocks.push(block);
  return blocks;
}

/** `rfc822; a@b` → `a@b`; `smtp; 550 …` → `550 …`. */
function withoutType(value: string | undefined): string | null {
  if (!value) return null;
  return value.replace(/^[A-Za-z0-9-]+\s*;\s*/, '').replace(/\s+/g, ' ').trim() || null;
}

/** The failed (or delayed) recipients of a delivery status report; success reports list none. */
export function dsnRecipients(deliveryStatus: string): { recipients: DsnRecipient[]; originalMessageId: string | null } {
  const [perMessage, ...perRecipient] = parseDeliveryStatus(deliveryStatus);
  const recipients: DsnRecipient[] = [];
  for (const r of perRecipient) {
    const action = r.get('action')?.toLowerCase().split(/\s/)[0] ?? null;
    const status = /\d\.\d{1,3}\.\d{1,3}/.exec(r.get('status') ?? '')?.[0] ?? null;
    let type: BounceType | null = null;
    if (status?.startsWith('5')) type = 'hard';
    else if (status?.startsWith('4')) type = 'soft';
    else if (action === 'failed') type = 'hard';
    else if (action === 'delayed') type = 'soft';
    if (!type || (action !== null && action !== 'failed' && action !== 'delayed')) continue;
    recipients.push({
      recipient: withoutType(r.get('final-recipient') ?? r.get('original-recipient'))?.replace(/^<|>$/g, '').toLowerCase() ?? null,
      action,
      status,
      diagnostic: withoutType(r.get('diagnostic-code')),
      type,
    });
  }
  return { recipients, originalMessageId: perMessage?.get('x-original-message-id') ?? null };
}

function header(mail: ParsedMail, name: string): string {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'string') return (v as { value: string }).value;
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
  return String(v);
}

/** RFC 3834 Auto-Submitted (anything but "no"), or the headers vacation programs and Exchange add. */
export function isAutoReply(mail: ParsedMail): boolean {
  const autoSubmitted = header(mail, 'auto-submitted').trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return true;
  if (['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-response-suppress', 'x-vacation'].some((h) => mail.headers.has(h))) return true;
  return /^auto[_-]?reply$/i.test(header(mail, 'precedence').trim());
}

export function isDeliveryReport(mail: ParsedMail): boolean {
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return type?.value === 'multipart/report' && type.params?.['report-type']?.toLowerCase() === 'delivery-status';
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

function idList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter((v) => /^<[^<>]+>$/.test(v));
}

/** Which of our messages this is about: the VERP address first, then the Message-IDs it quotes. */
async function matchOutbox(db: DB, mail: ParsedMail, envelopeRecipients: string[], quotedIds: string[]): Promise<MatchedOutboxMessage | null> {
  const candidates = [
    ...envelopeRecipients,
    ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => {
      const v = mail.headers.get(h);
      return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : ''));
    }),
    ...addresses(mail.to),
  ];
  for (const address of candidates) {
    const token = address ? tokenFromAddress(address) : null;
    const found = token ? await findOutboxMessage(db, { token }) : null;
    if (found) return found;
  }
  for (const messageId of quotedIds) {
    const found = await findOutboxMessage(db, { messageId });
    if (found) return found;
  }
  return null;
}

export async function handleInboundMail(db: DB, raw: Buffer | string, envelope: { recipients?: string[] } = {}, now = new Date()): Promise<InboundOutcome> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipTextLinks: true });
  const ownId = mail.messageId ?? null;
  const replyIds = [...idList(mail.inReplyTo), ...idList(mail.references)];

  if (isDeliveryReport(mail)) {
    const report = mail.attachments.find((a) => a.contentType === 'message/delivery-status');
    const { recipients, originalMessageId } = report ? dsnRecipients(report.content.toString('utf8')) : { recipients: [], originalMessageId: null };
    // The returned message or its headers carry the Message-ID we gave it.
    const quoted: string[] = originalMessageId ? [originalMessageId] : [];
    for (const part of mail.attachments.filter((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers')) {
      const original = await simpleParser(part.content, { skipHtmlToText: true, skipTextToHtml: true });
      if (original.messageId) quoted.push(original.messageId);
    }
    const matched = await matchOutbox(db, mail, envelope.recipients ?? [], [...quoted, ...replyIds]);
    let recorded = 0;
    await db.transaction().execute(async (trx) => {
      for (const r of recipients) {
        const isNew = await recordMailEvent(
          trx,
          {
            outboxMessageId: matched?.id ?? null,
            kind: 'bounce',
            bounceType: r.type,
            recipient: r.recipient ?? matched?.recipient ?? null,
            statusCode: r.status,
            diagnostic: r.diagnostic,
            sourceMessageId: ownId,
          },
          now,
        );
        if (isNew) recorded++;
      }
    });
    if (recipients.length > 0) return { kind: 'bounce', matched, recipients, recorded };
    // A report that names no failed recipient (a success notice, or one we cannot read) is kept for staff.
  } else if (isAutoReply(mail)) {
    const matched = await matchOutbox(db, mail, envelope.recipients ?? [], replyIds);
    const recorded = (await recordMailEvent(
      db,
      {
        outboxMessageId: matched?.id ?? null,
        kind: 'auto_reply',
        bounceType: null,
        recipient: addresses(mail.from)[0] ?? null,
        statusCode: null,
        diagnostic: mail.subject?.slice(0, 200) ?? null,
        sourceMessageId: ownId,
      },
      now,
    ))
      ? 1
      : 0;
    return { kind: 'auto_reply', matched, recorded };
  }

  const saved = await saveInboundMessage(
    db,
    {
      messageId: ownId,
      from: mail.from?.text ?? null,
      to: addresses(mail.to).join(', ') || null,
      subject: mail.subject ?? '',
      text: mail.text ?? '',
      sentAt: mail.date ? mail.date.toISOString() : null,
    },
    now,
  );
  return { kind: 'inbound', saved };
}
