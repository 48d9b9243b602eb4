/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Dependencies go into the server build, one file: loading them as hundreds of
  // separate modules cost a server (and each opinion thread) ~0.3 s of CPU at start
  // (docs/decisions/020-bundled-server.md). Kept as runtime imports: native addons
  // (better-sqlite3, sharp), pg (its optional pg-native), and express with compression
  // (their body-parser/iconv-lite tables would double the file for nothing).
  serverDependenciesToBundle: [/^(?!(better-sqlite3|sharp|pg|pg-.*|express|compression)(\/|$)).*/],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
