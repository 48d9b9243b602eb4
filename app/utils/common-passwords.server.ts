// Refuses new passwords that are one of the 10,000 most common passwords
// (zxcvbn-ts's ranked list, the first 10,000 entries) or one of them dressed
// up: with digits or symbols before or after, repeated, or with the usual
// letter-for-symbol swaps. The list is loaded once, when first needed, so
// that a server that never changes a password never decompresses it.
import { createRequire } from 'node:module';

/** How many of the ranked list's entries are refused. */
export const COMMON_PASSWORD_COUNT = 10_000;

let list: Set<string> | undefined;

/** The refused passwords, lower-cased. */
export function commonPasswords(): ReadonlySet<string> {
  if (!list) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    list = new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT).map((p) => p.toLowerCase()));
  }
  return list;
}

const SWAPS: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't' };

function candidates(password: string): string[] {
  const lower = password.normalize('NFKC').toLowerCase();
  const trimmed = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unswapped = lower.replace(/[@4310!$57]/g, (c) => SWAPS[c]);
  const out = [lower, trimmed, unswapped, unswapped.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')];
  // "passwordpassword", "qwertyqwerty": a repeated unit.
  const unit = /^(.+?)\1+$/u.exec(trimmed || lower)?.[1];
  if (unit) out.push(unit);
  return out.filter(Boolean);
}

/** True when the password is, or is built from, a common password. */
export function isCommonPassword(password: string): boolean {
  const known = commonPasswords();
  return candidates(password).some((c) => known.has(c));
}

/** True when the password is made of the person's email (its local part) or name. */
export function isPersonalPassword(password: string, person: { email: string; displayName: string }): boolean {
  const p = password.normalize('NFKC').toLowerCase().replace(/[^\p{L}]+/gu, '');
  const local = person.email.toLowerCase().split('@')[0].replace(/[^\p{L}]+/gu, '');
  const name = person.displayName.normalize('NFKC').toLowerCase().replace(/[^\p{L}]+/gu, '');
  const whole = password.normalize('NFKC').toLowerCase();
  if (whole.includes(person.email.toLowerCase())) return true;
  // The letters of the password are (part of) the name or email, or the name
  // or email is the bulk of the password.
  return [local, name].some(
    (part) => part.length >= 3 && p.length >= 3 && (part.includes(p) || (p.includes(part) && p.length - part.length < 6)),
  );
}
