// An opinion thread (docs/decisions/018-opinion-threads.md): loads the same
// server build as the main thread and answers the posts it is handed
// (request-threads.server.ts). Plain JavaScript on purpose, like
// db-background.worker.mjs: the Remix compiler bundles app/ into one file,
// and a worker thread needs a file it can load.
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';

// As in server.js: the build's bundled CommonJS dependencies call `require`.
globalThis.require ??= createRequire(import.meta.url);
const build = await import(workerData.build);
await build.entry.module.runRequestThread(build);
