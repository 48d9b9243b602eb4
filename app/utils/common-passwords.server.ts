// Refuses new passwords that are a common password (db/common-passwords.txt)
// dressed up: with digits or symbols before or after, repeated, or with the
// usual letter-for-symbol swaps. Read once, when first needed.
import fs from 'node:fs';
import path from 'node:path';

let list: Set<string> | undefined;

function commonPasswords(): Set<string> {
  list ??= new Set(
    fs
      .readFileSync(path.resolve('db/common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line && !line.startsWith('#')),
  );
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
