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
  // What `npm run build` does after `remix build`.
  fs.statSync(path.join(root, 'scripts/latin1-server-build.mjs')).mtimeMs,
);
if (sources > builtAt) {
  // Two test runs may start at once: one builds, the other waits for it.
  const lock = path.join(root, '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    // Whoever held the lock may have just built it.
    const nowBuiltAt = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
    if (nowBuiltAt < sources) {
      console.log(builtAt ? 'Sources changed: rebuilding…' : 'No build yet: building…');
      execSync('npm run build', { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
