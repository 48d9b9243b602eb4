// Integration and browser tests run the real production build: build it once
// (only when sources changed) before any test file starts a server.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup() {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/ensure-build.mjs')], { stdio: 'inherit' });
}
