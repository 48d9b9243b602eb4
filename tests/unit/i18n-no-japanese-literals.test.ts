// A guard for issue #14: text a person reads comes from the catalogs
// (public/locales), never from a Japanese literal in the server-side code
// outside routes and components. Walks app/models, app/domain, app/utils,
// app/server and app/mail (tests excluded), drops comments, and fails on a
// line of code with kana or kanji that no entry below allows. Each entry
// names why its text is not a message for a page; an entry that no longer
// matches anything fails too, so the list shrinks as code moves to the
// catalogs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DIRS = ['app/models', 'app/domain', 'app/utils', 'app/server', 'app/mail'];
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

type Allowed = { file: string; line?: RegExp; reason: string };

const API = 'The JSON API answers in Japanese by design (docs/i18n.md, "Still Japanese")';
const ALLOWED: Allowed[] = [
  // The JSON API.
  { file: 'app/server/api.server.ts', reason: API },
  { file: 'app/server/api-problem.server.ts', reason: API },
  { file: 'app/server/api-idempotency.server.ts', reason: API },
  { file: 'app/server/api-openapi.server.ts', reason: `${API} (the OpenAPI title)` },
  { file: 'app/models/api-opinions.server.ts', reason: API },
  {
    file: 'app/models/opinion-targets.server.ts',
    line: /'通報全体への意見では|この通報に第|この項目に、選ばれた小項目|'通報全体' :/,
    reason: 'Japanese wording only without a `t`: the API (Japanese by design) and OpinionTargetError, which the staff form replaces with its own key; sectionTitle(0) is data, pages name section 0 from the catalogs',
  },

  // Mail: every message is worded through mailWords(lng) (the office's and the units' in OFFICE_LANG).
  {
    file: 'app/mail/envelope.server.ts',
    line: /【|'\(以下略\)'|[．｡]/,
    reason: "The text part's heading brackets; excerpt's Japanese mark when no mailWords is given (its unit test; every message passes its words). Full-width dots are characters to defang in host names",
  },
  {
    file: 'app/domain/labels.ts',
    reason: 'Japanese names for the JSON API (Japanese by design) and the results data before its page words it (channel.*); pages, mail and the personal-data export use the catalogs (status.*, channel.*, role.*)',
  },

  // Patterns and characters, not messages.
  {
    file: 'app/domain/notice-parser.server.ts',
    line: /DATE_LIKE =/,
    reason: 'The start of the issue date (年) the parser tells from the issuer; its messages are keys (models:parse.*)',
  },
  {
    file: 'app/domain/notice-fields.server.ts',
    line: /_RE =|\.exec\(|replace\(\/\^公開日/,
    reason: 'Markers of the notice text format its fields are read by (公開日, 情報ソース, 年月日, 電話, 郵便ポスト); its messages are keys (models:parse.*)',
  },
  {
    file: 'app/domain/notice-blocks.server.ts',
    line: /^[一二三四五六七八九]: \d,$|NUMERAL_CLASS =|_RE =|_PREFIX =|_MARKER =|\.exec\(/,
    reason: 'Markers of the notice text format the parser splits into blocks (Chinese numerals, 現在の場所, 公開日, page furniture); it has no messages',
  },
  { file: 'app/domain/redact.ts', reason: 'Separator and unit characters of the personal-data patterns' },
  {
    file: 'app/domain/personal-data.ts',
    reason: 'Self-introduction patterns for Japanese and Chinese text; its Japanese kind/field label tables are read by no page (the staff catalog words findings)',
  },

  // Japanese wording kept for callers without a `t` (unit tests, the CLI); every page passes its language.
  {
    file: 'app/domain/comment-period.ts',
    reason: 'Japanese wording when no Wording is given (unit tests); every page passes { t, locale } and reads the common catalog period.*',
  },
  {
    file: 'app/domain/notice-diff.ts',
    reason: 'Japanese wording when no `tr` is given (unit tests); pages word revision changes with common revisionChange.* (wordRevisionChange)',
  },
  {
    file: 'app/utils/format.ts',
    reason: 'The Japanese formatter (第三項, 「…」): staffFormat and translatedTarget use the catalogs for the other languages, and Japanese through it',
  },

  // Stored data and operator text, not page messages.
  { file: 'app/models/users.server.ts', line: /displayName: '管理者'/, reason: "The first admin's stored display name (data the admin can change)" },
  { file: 'app/models/personal-data.server.ts', reason: 'Placeholders stored over erased personal data (data, not UI)' },
  { file: 'app/server/attachment-upload.server.ts', line: /名前のないファイル/, reason: 'The stored name of a file uploaded without one (data)' },
  { file: 'app/models/totp.server.ts', reason: "The issuer name (意見箱) an authenticator app shows: the service's name" },
  { file: 'app/utils/env.server.ts', reason: 'Default MAIL_FROM display name (configuration)' },
  { file: 'app/server/boot.server.ts', reason: "Operator's console lines at first start (Japanese and English)" },

  // Not shown on any page.
  { file: 'app/models/dashboard.server.ts', line: /'通報全体'/, reason: 'Section 0 title in the data; the dashboard names it with dashboard.wholeNotice' },
  { file: 'app/models/replies.server.ts', line: /'通報全体'/, reason: 'Section 0 title in the reply editor data; the page names targets through staffFormat' },
  { file: 'app/domain/mail-bounces.ts', line: /届きませんでした/, reason: 'bounceLabel is used by no page (opinion-records words bounces from the staff catalog)' },
  { file: 'app/server/login-throttle.server.ts', reason: 'lockMessage is kept for its unit test; the sign-in page words the lock from the admin catalog' },
  {
    file: 'app/server/db-errors.server.ts',
    reason: 'Body of a thrown 503: a document request shows the root ErrorBoundary, worded from the status in the page language',
  },
  { file: 'app/server/session.server.ts', line: /この操作を行う権限がありません/, reason: 'Body of a thrown 403: a document request shows the root ErrorBoundary, worded from the status' },
  { file: 'app/server/same-origin.server.ts', reason: 'Plain 403 for a cross-origin write (no page of ours sends one)' },
  { file: 'app/utils/form.server.ts', line: /指定されたものが見つかりません/, reason: "requireId's default 404 body; routes pass their own translated text, documents show the ErrorBoundary" },
];

/** The code of a file without its comments (strings and regular expressions kept). */
function stripComments(source: string): string {
  let out = '';
  let i = 0;
  let lastSignificant = '';
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
      lastSignificant = c;
      continue;
    }
    if (c === '/' && (lastSignificant === '' || /[(,=:[!&|?{};]/.test(lastSignificant))) {
      // A regular expression literal.
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n' && (source[j] !== '/' || inClass)) {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
      lastSignificant = '/';
      continue;
    }
    if (!/\s/.test(c)) lastSignificant = c;
    out += c;
    i++;
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

const files = DIRS.flatMap(sourceFiles);
const findings = files.flatMap((file) =>
  stripComments(fs.readFileSync(path.join(ROOT, file), 'utf8'))
    .split('\n')
    .map((text, i) => ({ file, line: i + 1, text: text.trim() }))
    .filter((l) => JAPANESE.test(l.text)),
);
const allows = (a: Allowed, f: { file: string; text: string }) => a.file === f.file && (!a.line || a.line.test(f.text));

describe('Japanese literals outside the catalogs', () => {
  it('reads the folders it guards', () => {
    expect(files).toContain('app/models/units.server.ts');
    expect(files).toContain('app/domain/notice-parser.server.ts');
    // The comment stripper keeps strings and drops comments.
    const stripped = stripComments("const a = '意見'; // 意見\n/* 意見 */ const b = /[、]/;");
    expect(stripped).toContain("const a = '意見';");
    expect(stripped).toContain('const b = /[、]/;');
    expect(stripped.match(/意見/g)).toHaveLength(1);
  });

  it('appear only where an entry says why they are not a message for a page', () => {
    const unexplained = findings.filter((f) => !ALLOWED.some((a) => allows(a, f))).map((f) => `${f.file}:${f.line}: ${f.text}`);
    expect(unexplained).toEqual([]);
  });

  it('lists no entry that has nothing left to allow', () => {
    const stale = ALLOWED.filter((a) => !findings.some((f) => allows(a, f))).map((a) => `${a.file} ${a.line ?? ''}`);
    expect(stale).toEqual([]);
  });

  it('gives every entry a reason', () => {
    for (const a of ALLOWED) expect(a.reason.length, a.file).toBeGreaterThan(20);
  });
});
