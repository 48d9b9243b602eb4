// An opinion thread runs the server build cut down to the routes it serves
// (request-thread-run.server.ts, threadBuild), one build per kind of request:
// the opinion route for posts; the report page, the list and a section's
// replies for the renders it does for the main thread's page cache; each with
// the routes it nests in, in the server routes and the assets manifest alike.
import type { ServerBuild } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { CACHED_ROUTES, THREAD_ROUTE, threadBuild } from '~/server/request-thread-run.server';

function route(id: string, parentId?: string) {
  return { id, parentId, path: id, module: { default: () => null } };
}

const routes = {
  root: route('root'),
  'routes/_index': route('routes/_index', 'root'),
  'routes/reports.$slug': route('routes/reports.$slug', 'root'),
  'routes/reports.$slug_.opinions': route('routes/reports.$slug_.opinions', 'root'),
  'routes/reports.$slug_.sections.$n.replies': route('routes/reports.$slug_.sections.$n.replies', 'root'),
  'routes/staff': route('routes/staff', 'root'),
  'routes/staff.opinions.$id': route('routes/staff.opinions.$id', 'routes/staff'),
};
const build = {
  mode: 'production',
  entry: { module: {} },
  routes,
  assets: { entry: { module: '/build/entry.js', imports: [] }, url: '/build/manifest.js', version: 'v1', routes: Object.fromEntries(Object.keys(routes).map((id) => [id, { id }])) },
} as unknown as ServerBuild;

describe('threadBuild', () => {
  it('keeps for posts the opinion route and the root alone, in the routes and the manifest', () => {
    const cut = threadBuild(build, THREAD_ROUTE);
    expect(Object.keys(cut.routes).sort()).toEqual(['root', 'routes/reports.$slug_.opinions']);
    expect(Object.keys(cut.assets.routes).sort()).toEqual(['root', 'routes/reports.$slug_.opinions']);
    expect(cut.routes.root).toBe(routes.root);
    expect(cut.assets.version).toBe('v1');
  });

  it("keeps for the cache's renders the report page, the list and a section's replies with the root, and not the opinion route", () => {
    const cut = threadBuild(build, CACHED_ROUTES);
    const kept = ['root', 'routes/_index', 'routes/reports.$slug', 'routes/reports.$slug_.sections.$n.replies'];
    expect(Object.keys(cut.routes).sort()).toEqual(kept);
    expect(Object.keys(cut.assets.routes).sort()).toEqual(kept);
  });

  it('walks a nested route up to the root, an ancestor shared by two routes once', () => {
    expect(Object.keys(threadBuild(build, 'routes/staff.opinions.$id').routes).sort()).toEqual(['root', 'routes/staff', 'routes/staff.opinions.$id']);
    expect(Object.keys(threadBuild(build, ['routes/staff.opinions.$id', 'routes/reports.$slug']).routes)).toHaveLength(4);
  });

  it('leaves the build it was given whole', () => {
    threadBuild(build, THREAD_ROUTE);
    threadBuild(build, CACHED_ROUTES);
    expect(Object.keys(build.routes)).toHaveLength(7);
    expect(Object.keys(build.assets.routes)).toHaveLength(7);
  });

  it('refuses a build without the route (a renamed route file), rather than answering every post 404', () => {
    expect(() => threadBuild(build, 'routes/reports.$slug.opinions')).toThrow(/no route routes\/reports\.\$slug\.opinions/);
  });
});
