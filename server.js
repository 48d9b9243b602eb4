// Production entry point: `node server.js` (after `npm run build`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as build from './build/index.js';

const root = path.dirname(fileURLToPath(import.meta.url));
await build.entry.module.startServer(build, root);
