// Run after `remix build` (`npm run build`): writes every character of the
// server build beyond Latin-1 as a \uXXXX escape.
//
// V8 keeps a script's source for as long as its code lives, as one string.
// A single character beyond U+00FF (a "’" in a bundled library's comment, a
// Japanese regular expression of ours) makes the whole 4 MB file a two-byte
// string: 8 MB in the main thread's heap and again in the opinion thread's
// (decision 020, amended in the twenty-third session). Remix's esbuild escapes
// strings but leaves comments, regular expressions and tagged templates as
// written.
//
// A \uXXXX escape means the same character in a string, a template's cooked
// value, a regular expression (with or without the u flag: a surrogate pair
// of escapes is one code point there) and a comment. It does not in a
// template's raw value, which a tag may read (String.raw): a tagged template
// holding such a character stops the build unless its tag is Kysely's `sql`,
// which reads the cooked values. So does U+2028 or U+2029 outside a string or
// a template: a line terminator there (it ends a // comment), which its escape
// is not.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;
/** Such a character and the backslashes before it: `\「` (an identity escape) must become `\u300c`, not `\\u300c`. */
const ESCAPABLE = /(\\*)([^\u0000-\u00ff])/g;
/** Characters that end a line anywhere but in a string or a template. */
const LINE_SEPARATORS = /[\u2028\u2029]/g;
/** Kysely's tag, as esbuild may rename it in the bundle. */
const COOKED_TAG = /^sql\d*$/;

function* nodes(node) {
  yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') yield* nodes(child);
    } else if (value && typeof value.type === 'string') yield* nodes(value);
  }
}

function lineOf(source, offset) {
  return source.slice(0, offset).split('\n').length;
}

/** The source with every character beyond U+00FF escaped; throws where an escape would change meaning. */
export function escapeBeyondLatin1(source, file = 'source') {
  if (!BEYOND_LATIN1.test(source)) return source;
  /** Where a line separator means itself: strings and templates' text. */
  const quoted = [];
  for (const node of nodes(parse(source, { ecmaVersion: 'latest', sourceType: 'module' }))) {
    if ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateElement') quoted.push([node.start, node.end]);
    if (node.type !== 'TaggedTemplateExpression') continue;
    if (!BEYOND_LATIN1.test(source.slice(node.quasi.start, node.quasi.end))) continue;
    if (node.tag.type === 'Identifier' && COOKED_TAG.test(node.tag.name)) continue;
    throw new Error(
      `${file}:${lineOf(source, node.start)}: a tagged template holds a character beyond Latin-1; ` +
        'its tag may read the raw text, which an escape would change. Write it as an escape in the source.',
    );
  }
  for (const m of source.matchAll(LINE_SEPARATORS)) {
    if (quoted.some(([start, end]) => m.index >= start && m.index < end)) continue;
    throw new Error(`${file}:${lineOf(source, m.index)}: U+${m[0].charCodeAt(0).toString(16).toUpperCase()} outside a string ends a line there, and its escape would not.`);
  }
  // Code units: a character beyond U+FFFF becomes its surrogate pair, two escapes.
  const escaped = source.replace(ESCAPABLE, (_, backslashes, c) => {
    const kept = backslashes.length % 2 === 1 ? backslashes.slice(1) : backslashes;
    return `${kept}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  parse(escaped, { ecmaVersion: 'latest', sourceType: 'module' });
  return escaped;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = path.join(root, 'build/index.js');
  const source = fs.readFileSync(file, 'utf8');
  let escaped;
  try {
    escaped = escapeBeyondLatin1(source, path.relative(root, file));
  } catch (error) {
    // Not a build to run, nor one that looks newer than its sources to ensure-build.
    fs.rmSync(file);
    throw error;
  }
  if (escaped !== source) {
    const temporary = `${file}.tmp`;
    fs.writeFileSync(temporary, escaped);
    fs.renameSync(temporary, file);
  }
}
