// Under the classic compiler a `*.server` module (and @remix-run/node) is
// emptied in the browser bundle, so a component, `meta` or a module-level
// constant that uses a value from one gets `undefined` at run time and the
// page breaks only in the browser. This test bundles every route for the
// browser the way Remix does (a shim re-exporting only the browser-safe
// exports, then tree-shaking) but gives each export of a server-only module a
// marker string instead of nothing: whatever marker survives tree-shaking is a
// server value that browser code still uses.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'app');
const MARK = '__SERVER_ONLY_VALUE__';
const require = createRequire(import.meta.url);

/** The exports Remix keeps in a route's browser shim (@remix-run/dev browserRouteModulesPlugin). */
const BROWSER_SAFE_EXPORTS = new Set([
  'clientAction',
  'clientLoader',
  'ErrorBoundary',
  'HydrateFallback',
  'Layout',
  'default',
  'handle',
  'links',
  'meta',
  'shouldRevalidate',
]);
/** What Remix empties in the browser build (@remix-run/dev emptyModulesPlugin). */
const SERVER_ONLY_FILE = /\.server(\.[jt]sx?)?$/;
const SERVER_ONLY_PACKAGE = /^@remix-run\/(deno|cloudflare|node)(\/.*)?$/;

const ROUTE_FILES = fs.readdirSync(path.join(APP, 'routes')).filter((f) => /\.[jt]sx?$/.test(f) && !/\.test\.[jt]sx?$/.test(f));

/** A module's value exports (types are erased), as esbuild sees them. */
async function exportsOf(file: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: 'out',
    logLevel: 'silent',
  });
  return Object.values(result.metafile!.outputs)[0].exports;
}

function resolveAppFile(specifier: string, resolveDir: string): string {
  const base = specifier.startsWith('~/') ? path.join(APP, specifier.slice(2)) : path.resolve(resolveDir, specifier);
  for (const ext of ['', '.ts', '.tsx', '.js', '.jsx']) {
    if (fs.existsSync(base + ext) && fs.statSync(base + ext).isFile()) return base + ext;
  }
  throw new Error(`cannot resolve ${specifier} from ${resolveDir}`);
}

/** Entry points are `route-shim:<absolute file>`; `appDir` is where Remix empties *.server files. */
const browserBuild = (appDir: string): Plugin => ({
  name: 'browser-boundary',
  setup(b) {
    b.onResolve({ filter: /^route-shim:/ }, (args) => ({ path: args.path.slice('route-shim:'.length), namespace: 'route-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'route-shim' }, async (args) => {
      const kept = (await exportsOf(args.path)).filter((name) => BROWSER_SAFE_EXPORTS.has(name));
      return {
        contents: kept.length ? `export { ${kept.join(', ')} } from ${JSON.stringify(args.path)};` : '',
        resolveDir: path.dirname(args.path),
        loader: 'js',
      };
    });
    b.onResolve({ filter: SERVER_ONLY_FILE }, (args) => {
      const file = resolveAppFile(args.path, args.resolveDir);
      // Remix empties only the app's own *.server files, not node_modules'.
      return file.startsWith(appDir + path.sep) ? { path: file, namespace: 'server-only' } : undefined;
    });
    b.onResolve({ filter: SERVER_ONLY_PACKAGE }, (args) => ({ path: args.path, namespace: 'server-only' }));
    // Everything else from node_modules is irrelevant here and slow to bundle.
    b.onResolve({ filter: /^[^./~]/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'server-only' }, async (args) => {
      const isPackage = !path.isAbsolute(args.path);
      const names = isPackage ? Object.keys(require(args.path) as object) : await exportsOf(args.path);
      const label = isPackage ? args.path : path.relative(ROOT, args.path);
      const marker = (name: string) => JSON.stringify(`${MARK}(${label}#${name})`);
      return {
        contents: names.map((name) => (name === 'default' ? `export default ${marker(name)};` : `export const ${name} = ${marker(name)};`)).join('\n'),
        loader: 'js',
      };
    });
  },
});

describe('the browser bundle', () => {
  it('uses no value from a *.server module (or @remix-run/node) in code that runs in the browser', async () => {
    const entries = [...ROUTE_FILES.map((f) => path.join(APP, 'routes', f)), path.join(APP, 'root.tsx')];
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: entries.map((file) => `route-shim:${file}`),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      outdir: 'out',
      logLevel: 'silent',
      loader: { '.css': 'empty', '.svg': 'empty', '.png': 'empty' },
      plugins: [browserBuild(APP)],
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles).toHaveLength(entries.length);

    const sourceOf = new Map(entries.map((file) => [path.basename(file).replace(/\.[jt]sx?$/, '.js'), path.relative(ROOT, file)]));
    const leaks: Record<string, string[]> = {};
    for (const out of result.outputFiles) {
      const used = new Set([...out.text.matchAll(new RegExp(`${MARK}\\(([^)]+)\\)`, 'g'))].map((m) => m[1]));
      if (used.size) leaks[sourceOf.get(path.basename(out.path)) ?? out.path] = [...used].sort();
    }
    expect(leaks, 'server-only values used by browser code (move them to app/schemas or app/utils)').toEqual({});
  });

  it('sees a leak when there is one', async () => {
    // The check itself: a route whose component uses a server value must be caught.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ikenbako-boundary-'));
    try {
      fs.writeFileSync(path.join(dir, 'limits.server.ts'), 'export const LIMIT = 10;\nexport const UNUSED = 1;\n');
      fs.writeFileSync(
        path.join(dir, 'route.tsx'),
        [
          "import { LIMIT, UNUSED } from './limits.server';",
          'export const loader = () => UNUSED;',
          'export default function Probe() { return <input maxLength={LIMIT} />; }',
        ].join('\n'),
      );
      const result = await build({
        absWorkingDir: ROOT,
        entryPoints: [`route-shim:${path.join(dir, 'route.tsx')}`],
        bundle: true,
        write: false,
        format: 'esm',
        jsx: 'automatic',
        outdir: 'out',
        logLevel: 'silent',
        plugins: [browserBuild(dir)],
      });
      const text = result.outputFiles[0].text;
      expect(text).toContain(`limits.server.ts#LIMIT`);
      expect(text, 'a value used only by the loader is tree-shaken').not.toContain('#UNUSED');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
