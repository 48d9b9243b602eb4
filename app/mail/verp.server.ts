// VERP (variable envelope return path): every message goes out with its own
// bounce address, `bounce+<token>@domain` from MAIL_BOUNCE_ADDRESS, where the
// token is the message's Message-ID without its host. A bounce then names the
// message it is about in the address it was sent to, whatever the remote MTA
// put (or failed to put) in its report.

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The token of a `<uuid@host>` Message-ID; null for an id we did not make. */
export function messageToken(messageId: string): string | null {
  const m = /^<?([^@<>]+)@/.exec(messageId.trim());
  return m && TOKEN.test(m[1]) ? m[1].toLowerCase() : null;
}

/** The Return-Path for one message, or null without MAIL_BOUNCE_ADDRESS. */
export function returnPathFor(bounceAddress: string | undefined, messageId: string): string | null {
  if (!bounceAddress) return null;
  const token = messageToken(messageId);
  if (!token) return bounceAddress;
  const at = bounceAddress.lastIndexOf('@');
  return `${bounceAddress.slice(0, at)}+${token}${bounceAddress.slice(at)}`;
}

/** The message token in an address such as `bounce+<token>@domain` (any local part, any domain). */
export function tokenFromAddress(address: string): string | null {
  const m = /^<?[^\s@+<>]+\+([^\s@<>]+)@[^\s@<>]+>?$/.exec(address.trim());
  return m && TOKEN.test(m[1]) ? m[1].toLowerCase() : null;
}
