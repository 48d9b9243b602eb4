// Staff passwords: scrypt with a per-user salt. The parameters travel inside the
// stored string so they can be raised later without breaking old hashes.
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { japanese, type UserMessage } from '~/utils/user-error.server';

export const MIN_PASSWORD_LENGTH = 12;
/** scrypt cost grows with the input; a cap stops a megabyte "password" from tying up the server. */
export const MAX_PASSWORD_LENGTH = 256;

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

function maxmem(n: number, r: number): number {
  return 128 * n * r * 2 + 1024 * 1024;
}

/** "scrypt$N$r$p$salt$hash" with base64url salt and hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: maxmem(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  // Refuse absurd parameters rather than let a corrupted row exhaust memory.
  if (![n, r, p].every(Number.isInteger) || n < 2 || n > 1 << 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
  const actual = await scrypt(password, salt, expected.length, { N: n, r, p, maxmem: maxmem(n, r) });
  return timingSafeEqual(actual, expected);
}

// No 0/O, 1/l/I: the password is read off a screen or a console and typed in.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Five groups of four, e.g. "k7Qm-9vTa-..." — 24 characters, about 115 bits. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** What is wrong with a new password (a catalog key and its values), or null. */
export function passwordIssue(password: string): UserMessage | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return { key: 'models:password.tooShort', values: { min: MIN_PASSWORD_LENGTH, length } };
  if (length > MAX_PASSWORD_LENGTH) return { key: 'models:password.tooLong', values: { max: MAX_PASSWORD_LENGTH } };
  if (/^\s|\s$/.test(password)) return { key: 'models:password.edgeSpace' };
  if (new Set(password).size < 4) return { key: 'models:password.repetitive' };
  return null;
}

/** The same as a Japanese sentence (the CLI's wording), or null. */
export function passwordProblem(password: string): string | null {
  const issue = passwordIssue(password);
  return issue ? japanese(issue) : null;
}
