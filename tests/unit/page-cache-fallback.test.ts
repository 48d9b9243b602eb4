// Where the cached report page is rendered (decision 015, amended): on a
// thread when it gives the page, on this thread when it does not — it failed,
// answered 5xx, or kept the reader waiting past the limit.
import { describe, expect, it } from 'vitest';
import { renderElsewhereOrHere } from '~/server/cache-renderer.server';

const page = (body: string, status = 200) => new Response(body, { status, headers: { 'content-type': 'text/html' } });

function counted(render: () => Promise<Response>) {
  const calls = { n: 0 };
  return { calls, fn: () => (calls.n++, render()) };
}

describe('renderElsewhereOrHere', () => {
  it('takes the thread’s page and leaves this thread alone', async () => {
    const here = counted(async () => page('here'));
    const { response, on } = await renderElsewhereOrHere(async () => page('thread'), here.fn);
    expect(on).toBe('thread');
    expect(await response.text()).toBe('thread');
    expect(here.calls.n).toBe(0);
  });

  it('keeps a thread’s 404 (no such report is an answer, not a failure)', async () => {
    const { response, on } = await renderElsewhereOrHere(async () => page('gone', 404), async () => page('here'));
    expect([on, response.status]).toEqual(['thread', 404]);
  });

  it.each([
    ['throws (a thread that died)', () => Promise.reject(new Error('opinion thread 1 exited (3)'))],
    ['answers 503 (its database was busy)', async () => page('busy', 503)],
    ['answers 500', async () => page('oops', 500)],
  ])('renders here when the thread %s', async (_, elsewhere) => {
    const { response, on } = await renderElsewhereOrHere(elsewhere, async () => page('here'));
    expect(on).toBe('main');
    expect(await response.text()).toBe('here');
  });

  it('renders here when the thread gives no answer within the limit', async () => {
    const never = () => new Promise<Response>(() => undefined);
    const { response, on } = await renderElsewhereOrHere(never, async () => page('here'), 50);
    expect(on).toBe('main');
    expect(await response.text()).toBe('here');
  });

  it('renders here when there is no thread', async () => {
    const { on } = await renderElsewhereOrHere(null, async () => page('here'));
    expect(on).toBe('main');
  });
});
