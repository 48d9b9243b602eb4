// Tracking numbers (shown to citizens, read over the phone) and receipt tokens
// (unguessable links). Crockford base-32 leaves out I, L, O and U so that a
// number read aloud or typed from paper is not misread.
import { randomBytes } from '~/utils/random-bytes.server';

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_PREFIX = 'XZ';
export const TRACKING_NUMBER_PATTERN = /^XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const yearFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' });

function randomCrockford(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 is a multiple of 32, so masking keeps the distribution uniform.
  for (const b of bytes) out += CROCKFORD_ALPHABET[b & 31];
  return out;
}

/** XZ-<year of receipt in Asia/Shanghai>-XXXX-XXXX (40 random bits). */
export function generateTrackingNumber(receivedAt: Date = new Date()): string {
  const r = randomCrockford(8);
  return `${TRACKING_PREFIX}-${yearFmt.format(receivedAt)}-${r.slice(0, 4)}-${r.slice(4)}`;
}

/**
 * What a person typed as a tracking number, in canonical form, or null when it
 * cannot be one. Accepts lower case, full-width characters, missing hyphens and
 * Crockford's look-alikes (I/L → 1, O → 0).
 */
export function normalizeTrackingNumber(input: string): string | null {
  const s = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−ー_]/g, '');
  const m = /^XZ(\d{4})([0-9A-Z]{8})$/.exec(s);
  if (!m) return null;
  const code = m[2].replace(/[IL]/g, '1').replace(/O/g, '0');
  if (/U/.test(code)) return null;
  return `${TRACKING_PREFIX}-${m[1]}-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** 192 random bits, base64url: the receipt link is the only key to the receipt. */
export function generateReceiptToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A random token for one rendering of a form (double-submission detection). */
export function createFormToken(): string {
  return randomBytes(16).toString('base64url');
}
