// Builds the app when build/ is missing or older than any source file, so that
// `npm start` works on a fresh clone and after a pull.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const output = path.join(root, 'build/index.js');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const builtAt = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
const sources = Math.max(
  newest(path.join(root, 'app')),
  newest(path.join(root, 'db')),
  fs.statSync(path.join(root, 'remix.config.js')).mtimeMs,
  fs.statSync(path.join(root, 'package.json')).mtimeMs,
);
if (sources > builtAt) {
  console.log(builtAt ? 'Sources changed: rebuilding…' : 'No build yet: building…');
  execSync('npx remix build', { cwd: root, stdio: 'inherit' });
}
