// The Node flags the server runs with, read from `npm start` (package.json),
// so that the bench and the test servers start `node server.js` as it does.
// deploy/ikenbako@.service repeats them (tests/unit/server-node-flags.test.ts
// checks that the two agree). Decision 019: the main thread's heap ceiling.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The flags between `node` and `server.js` in a command line (e.g. `['--max-old-space-size=256']`). */
export function nodeFlagsBeforeServer(commandLine) {
  const m = /(?:^|[\s/])node((?:\s+--?[\w-]+(?:=\S+)?)*)\s+server\.js\b/.exec(commandLine);
  if (!m) throw new Error(`no "node … server.js" in: ${commandLine}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/** The flags `npm start` gives `node server.js`. */
export function serverNodeFlags() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return nodeFlagsBeforeServer(pkg.scripts.start);
}
