// The server build is written in Latin-1 (scripts/latin1-server-build.mjs) so
// that V8 keeps its source as a one-byte string: the same program, half the
// memory in each thread that loads it (decision 020, twenty-third session).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeBeyondLatin1 } from '../../scripts/latin1-server-build.mjs';

const ROOT = path.resolve(__dirname, '../..');
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** What a module's `values` export holds, the module being `source`. */
async function valuesOf(source: string): Promise<unknown[]> {
  const module = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
  return module.values;
}

describe('the Latin-1 server build', () => {
  // A regular expression's `source` reads the escape: a pattern built from it matches the same.
  it('means the same in strings, templates, regular expressions and comments', async () => {
    const source = [
      '// a comment’s apostrophe',
      'const sql = (strings, ...values) => strings.join("?");',
      'const sql2 = sql;',
      'const name = "太郎";',
      'export const values = [',
      '  "意見箱", `受付番号 ${name}`, sql`like \'郵送先の住所:%\' and ${1}`,',
      '  /^「[^「」]*」$/u.test("「題」"), /^「[^「」]*」$/u.test("「題」」"),',
      '  /[．｡]/g.exec("a｡b")[0], /\\「/.test("「"), /^[😀]$/u.test("😀"), /^.$/u.test("😀"), "😀".length,',
      '  new RegExp(/（/.source + "x").test("（x"), "é", String.raw`é`,',
      '  sql2`「${1}」`, "\\\\「", /\\\\「/.test("\\\\「"), /\\\\「/.test("「"), "a\u2028b".length, `\u2029`.length,',
      '];',
    ].join('\n');
    const escaped = escapeBeyondLatin1(source);
    expect(escaped).not.toMatch(BEYOND_LATIN1);
    const expected = await valuesOf(source);
    expect(expected).toEqual(['意見箱', '受付番号 太郎', "like '郵送先の住所:%' and ?", true, false, '｡', true, true, true, 2, true, 'é', 'é', '「?」', '\\「', true, false, 3, 1]);
    expect(await valuesOf(escaped)).toEqual(expected);
  });

  it('stops where a tag may read the template’s raw text', () => {
    expect(() => escapeBeyondLatin1('export const values = [String.raw`意見`];', 'build/index.js')).toThrow(
      /build\/index\.js:1: a tagged template/,
    );
    expect(() => escapeBeyondLatin1('const dedent = (s) => s.raw.join("");\nexport const v = dedent`意見`;')).toThrow(/:2: a tagged template/);
  });

  it('stops at a line separator outside a string, which ends a line where its escape would not', () => {
    // In a comment it ends the comment: `x = 2` runs before the step, and would be comment text after it.
    expect(() => escapeBeyondLatin1('let x = 1; // 意見\u2028x = 2;\nexport const values = [x];', 'build/index.js')).toThrow(
      /build\/index\.js:1: U\+2028 outside a string/,
    );
    expect(() => escapeBeyondLatin1('export const values = [1 /* 意見\u2029 */];')).toThrow(/U\+2029/);
  });

  it('leaves a Latin-1 source as it is', () => {
    const source = 'export const values = ["café", /é/];';
    expect(escapeBeyondLatin1(source)).toBe(source);
  });

  describe('npm run build', () => {
    // As `npm start` and the integration suites do: builds when the build is older than its sources.
    beforeAll(() => {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    }, 180_000);

    it('left build/index.js in Latin-1', () => {
      const built = fs.readFileSync(path.join(ROOT, 'build/index.js'), 'utf8');
      expect(built.length).toBeGreaterThan(1_000_000);
      expect(built).not.toMatch(BEYOND_LATIN1);
    });
  });
});
