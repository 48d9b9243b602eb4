// The plain .mjs files a thread or a process loads (the opinion threads, the
// background writer, the image child) are not bundled: the Remix compiler
// makes app/ one file, and a worker needs a file it can load. They ship in
// app/server beside the sources (decision 007).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `name` beside this module in the sources; under app/server seen from build/index.js. */
export function shippedFile(name: string): URL {
  const candidates = [new URL(`./${name}`, import.meta.url), new URL(`../app/server/${name}`, import.meta.url)];
  const found = candidates.find((u) => fs.existsSync(fileURLToPath(u)));
  if (!found) throw new Error(`${name} not found (looked in ${candidates.map((u) => u.pathname).join(', ')})`);
  return found;
}
