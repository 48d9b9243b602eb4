// Production entry point: `node server.js` (after `npm run build`).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The build bundles its CommonJS dependencies (remix.config.js), which call
// `require` for Node's own modules; an ES module has none, so it is given one.
globalThis.require ??= createRequire(import.meta.url);
const build = await import('./build/index.js');

const root = path.dirname(fileURLToPath(import.meta.url));
await build.entry.module.startServer(build, root);
