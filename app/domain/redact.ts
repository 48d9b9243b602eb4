// Pre-redaction of a citizen's opinion before a moderator publishes it.
// Pure and shared by browser and server. Matching runs on an NFKC-normalized,
// lower-cased view of the text (so full-width digits, ＠ and Ｘ match), while
// the replacement is applied to the original text, which keeps everything that
// is not masked exactly as the citizen wrote it.

export const REDACTION_MASK = '●●●';

/** The person's own details. `address` (a postal address) is only known for opinions staff recorded. */
export type Submitter = { name: string | null; email: string | null; phone: string | null; address?: string | null };

type Span = [start: number, end: number];

/** Separators people put inside phone numbers (after NFKC: －→-, ｰ→ー, 　→space). */
const SEP_CHARS = ' \\t.\\-‐‑‒–—―−ー';
const SEP = `[${SEP_CHARS}]{0,3}`;

/** A view of `text` for matching, with a map back to the original positions. */
type NormalizedView = { text: string; start: number[]; end: number[] };

// A code point with the marks that belong to it, so NFKC can compose them
// (か+゛, ｶ+ﾞ) without the normalized view drifting from the original.
const CLUSTER = /[^\p{M}\uFF9E\uFF9F][\p{M}\uFF9E\uFF9F]*|[\p{M}\uFF9E\uFF9F]+/gsu;

function normalizedView(original: string): NormalizedView {
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  for (const m of original.matchAll(CLUSTER)) {
    const norm = m[0].normalize('NFKC').toLowerCase();
    const s = m.index!;
    const e = s + m[0].length;
    for (let i = 0; i < norm.length; i++) {
      start.push(s);
      end.push(e);
    }
    text += norm;
  }
  return { text, start, end };
}

function normalize(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function digitCount(s: string): number {
  return (s.match(/[0-9]/g) ?? []).length;
}

type Rule = { pattern: RegExp; accept?: (match: string) => boolean };

const GENERIC_RULES: Rule[] = [
  // Email addresses (＠ and full-width letters are already folded by NFKC).
  { pattern: /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/g },
  // 18-digit resident ID numbers; the check character may be X. Spaces after
  // the region code and the birth date are sometimes typed.
  { pattern: /(?<![0-9])[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9x](?![0-9a-z])/g },
  // International numbers: +86 573 8272 2291, +81 90-1234-5678, 0086-138…
  {
    pattern: new RegExp(
      `(?<![0-9])(?:\\+|00)[ ]?[0-9]{1,3}(?:${SEP}\\(0\\)${SEP}|${SEP})[0-9]{1,4}(?:${SEP}[0-9]{1,5}){0,4}(?![0-9])`,
      'g',
    ),
    accept: (m) => {
      const n = digitCount(m);
      return n >= 10 && n <= 16;
    },
  },
  // Chinese mobile numbers: 138 0013 8000, 138-0013-8000, 13800138000. An
  // amount such as 13000000000元 is left alone.
  {
    pattern: new RegExp(`(?<![0-9])1[3-9](?:${SEP}[0-9]){9}(?![0-9]|\\s?[元円億万千百%])`, 'g'),
  },
  // Numbers with a trunk prefix 0: Chinese landlines (0573-82722291,
  // (0573)82722291, 0573 8272 2291, 010-12345678) and Japanese numbers
  // (03-1234-5678, 090-1234-5678, 0120-123-456, (03)1234-5678). Ten to twelve
  // digits in all, so dates like 07-03 and postcodes like 060-0001 stay.
  {
    pattern: new RegExp(
      `(?<![0-9])(?:\\(${SEP}0[0-9]{1,4}${SEP}\\)|0[0-9]{1,4})(?:${SEP}[0-9]{1,5}){1,3}(?![0-9])`,
      'g',
    ),
    accept: (m) => {
      const n = digitCount(m);
      return n >= 10 && n <= 12;
    },
  },
];

/** A literal that may be written with or without spaces between its characters. */
function spaced(chars: string[]): Rule {
  return { pattern: new RegExp(chars.map(escapeRegExp).join('\\s*'), 'gu') };
}

/**
 * The postal address as a whole, and the parts of it that point at one
 * house: each part with a number in it (新城路123号, 4幢501室, 〒314000), and
 * everything from the first number on when it is typed as one run. Parts
 * without a number (嘉興市秀洲区) name a whole district and stay, so a reply
 * about the district is not refused.
 */
function addressRules(address: string | null | undefined): Rule[] {
  const normalized = normalize(address ?? '').trim();
  const compact = Array.from(normalized.replace(/\s+/g, ''));
  if (compact.length < 4) return [];
  const parts = normalized.split(/[\s,、]+/).filter((p) => /[0-9]/.test(p) && Array.from(p).length >= 4);
  const firstDigit = compact.findIndex((c) => /[0-9]/.test(c));
  if (firstDigit > 0 && compact.length - firstDigit >= 4) parts.push(compact.slice(firstDigit).join(''));
  return [spaced(compact), ...[...new Set(parts)].map((p) => spaced(Array.from(p)))];
}

/** Rules that find this submitter's own name, email, phone and postal address. */
function submitterRules(submitter: Submitter): Rule[] {
  const rules: Rule[] = [];
  const name = normalize(submitter.name ?? '').trim();
  if (name) {
    // Whitespace-insensitive: 山田 太郎 also finds 山田太郎 and 山田　太郎.
    const parts = name.split(/\s+/).filter(Boolean);
    const chars = Array.from(parts.join(''));
    // A one-character name would mask that character everywhere (李 in 行李).
    if (chars.length >= 2) rules.push(spaced(chars));
    if (parts.length > 1) {
      for (const part of parts) {
        if (Array.from(part).length >= 2) rules.push({ pattern: new RegExp(escapeRegExp(part), 'gu') });
      }
    }
  }
  const email = normalize(submitter.email ?? '').trim();
  if (email.length >= 3) {
    rules.push({ pattern: new RegExp(escapeRegExp(email), 'g') });
    // The local part alone is often the person's name (yamada.taro@…).
    const local = email.split('@')[0];
    if (local && local.length >= 5 && /[a-z]/.test(local)) {
      rules.push({ pattern: new RegExp(`(?<![a-z0-9._%+-])${escapeRegExp(local)}(?![a-z0-9_%+-])`, 'g') });
    }
  }
  const digits = normalize(submitter.phone ?? '').replace(/[^0-9]/g, '');
  // The national number: without a country code (86, 81) or trunk prefix 0,
  // so 090-1234-5678 also finds +81 90 1234 5678 and the reverse.
  let national = digits;
  if ((submitter.phone ?? '').trim().match(/^(?:\+|＋|00)/)) national = national.replace(/^(?:00)?(?:86|81)/, '');
  national = national.replace(/^0+/, '');
  if (national.length >= 6) {
    const body = Array.from(national).join(`[${SEP_CHARS}()]{0,3}`);
    rules.push({
      pattern: new RegExp(
        `(?<![0-9])(?:(?:\\+|00)[ ]?(?:86|81)[${SEP_CHARS}()]{0,3})?(?:\\(?0[${SEP_CHARS}()]{0,3})?${body}(?![0-9])`,
        'g',
      ),
    });
  }
  return [...rules, ...addressRules(submitter.address)];
}

function findSpans(view: NormalizedView, rules: Rule[]): Span[] {
  const spans: Span[] = [];
  for (const rule of rules) {
    for (const m of view.text.matchAll(rule.pattern)) {
      if (m[0].length === 0) continue;
      if (rule.accept && !rule.accept(m[0])) continue;
      const s = m.index!;
      const e = s + m[0].length;
      spans.push([view.start[s], view.end[e - 1]]);
    }
  }
  return spans;
}

function applySpans(original: string, spans: Span[]): string {
  if (spans.length === 0) return original;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  // Overlapping or touching spans become one mask, so a second pass finds nothing new.
  const merged: Span[] = [];
  for (const [s, e] of spans) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  let out = '';
  let at = 0;
  for (const [s, e] of merged) {
    out += original.slice(at, s) + REDACTION_MASK;
    at = e;
  }
  return out + original.slice(at);
}

/**
 * Masks phone numbers (Chinese and Japanese formats), email addresses,
 * 18-digit resident ID numbers, and the submitter's own name, email, phone and
 * postal address, each with ●●●. Idempotent. A moderator reviews the result
 * before publishing: this catches the usual forms, not every way a person can
 * be identified.
 */
export function redactOpinion(text: string, submitter: Submitter): string {
  const view = normalizedView(text);
  return applySpans(text, findSpans(view, [...submitterRules(submitter), ...GENERIC_RULES]));
}

/** Only the submitter's own name, email, phone and postal address (the check made at publishing). */
export function redactSubmitterDetails(text: string, submitter: Submitter): string {
  const view = normalizedView(text);
  return applySpans(text, findSpans(view, submitterRules(submitter)));
}

/** True when the text still contains the submitter's own name, email, phone or postal address. */
export function containsSubmitterDetails(text: string, submitter: Submitter): boolean {
  return redactSubmitterDetails(text, submitter) !== text;
}
