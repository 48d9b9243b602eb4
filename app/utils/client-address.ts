// Who the client is, behind zero or more reverse proxies. X-Forwarded-For is
// appended to by each proxy, so only its right-hand end is written by
// machines we trust; everything to the left of the first untrusted address is
// whatever the client chose to send. Express (proxy-addr) walks the list from
// the right with the trust setting parsed here; these helpers cover what it
// does not: which settings are valid, the key a client is counted by, and the
// origin a request came to.
import net from 'node:net';

/** TRUST_PROXY as Express takes it: a hop count, or the proxies' addresses/CIDRs. */
export type TrustProxy = number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * An IP address, a CIDR (`10.0.0.0/8`, `fd00::/8`) or one of proxy-addr's
 * names (`loopback` …). A /0 is refused: it trusts every address, so any
 * client could name itself in X-Forwarded-For.
 */
export function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const family = net.isIP(address);
  if (!family) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads TRUST_PROXY: `false`/`0` trusts nobody, a number trusts that many
 * hops nearest the server, a comma list trusts those proxies. `true` means
 * one hop (see trustProxyWarning). Null when the value is none of these.
 */
export function parseTrustProxy(value: string): TrustProxy | null {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === 'no') return 0;
  if (v === 'true' || v === 'yes') return 1;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length > 0 && list.every(isProxyAddress) ? list : null;
}

/** The start-up warning for a TRUST_PROXY value that only works by luck, or null. */
export function trustProxyWarning(value: string | undefined): string | null {
  const v = value?.trim().toLowerCase();
  if (v !== 'true' && v !== 'yes') return null;
  return 'TRUST_PROXY=true is read as 1: the client is the address your one proxy saw. Set TRUST_PROXY to the number of proxies in front of the server, or to their addresses.';
}

/** Expands an IPv6 address (already checked by net.isIPv6) to its eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  // A trailing dotted IPv4 part is the last two groups.
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/**
 * The key one client is counted by (rate limits, sign-in locks, the stored
 * hash): the IPv4 address, or an IPv6 client's /64 — one home or office
 * network is handed a whole /64 and could otherwise change address per request.
 */
export function clientKey(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1];
  if (net.isIPv6(address)) {
    const prefix = ipv6Groups(address).slice(0, 4).map((g) => g.toString(16));
    return `${prefix.join(':')}::/64`;
  }
  return address;
}

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value || undefined;
}

const HOST_RE = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin a request came to. X-Forwarded-Proto and X-Forwarded-Host count
 * only when the peer that sent them is a trusted proxy; a client's own claims
 * never change the URL the app sees.
 */
export function requestOrigin(input: {
  peerTrusted: boolean;
  encrypted: boolean;
  host: string | undefined;
  forwardedHost: string | undefined;
  forwardedProto: string | undefined;
}): string {
  const proto = input.peerTrusted ? firstValue(input.forwardedProto)?.toLowerCase() : undefined;
  const protocol = proto === 'https' || proto === 'http' ? proto : input.encrypted ? 'https' : 'http';
  const candidates = [input.peerTrusted ? firstValue(input.forwardedHost) : undefined, input.host?.trim()];
  const host = candidates.find((h): h is string => Boolean(h && HOST_RE.test(h))) ?? 'localhost';
  return `${protocol}://${host.toLowerCase()}`;
}
