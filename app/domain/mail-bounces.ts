// What a bounce means for an opinion, shared by the staff page's model and its
// components (browser-safe: no server modules).
import type { BounceType } from '../../db/schema';

export type MessageBounce = { type: BounceType; statusCode: string | null; diagnostic: string | null; at: string };

/** Message kinds addressed to the person who wrote the opinion. */
export const CITIZEN_MESSAGE_KINDS: readonly string[] = ['citizen_ack', 'citizen_reply'];

/** The latest hard bounce of mail to the opinion's writer: staff then answer by phone or post. */
export function citizenHardBounce(
  messages: ReadonlyArray<{ kind: string; recipient: string; bounce: MessageBounce | null }>,
): (MessageBounce & { recipient: string }) | null {
  let found: (MessageBounce & { recipient: string }) | null = null;
  for (const m of messages) {
    if (CITIZEN_MESSAGE_KINDS.includes(m.kind) && m.bounce?.type === 'hard') found = { ...m.bounce, recipient: m.recipient };
  }
  return found;
}

/** 不達(恒久的)/ 不達(一時的) with the remote's status code. */
export function bounceLabel(b: MessageBounce): string {
  return `${b.type === 'hard' ? '届きませんでした(恒久的なエラー)' : '配達が遅れています(一時的なエラー)'}${b.statusCode ? ` ${b.statusCode}` : ''}`;
}
