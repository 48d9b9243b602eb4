import { type ActionFunctionArgs } from '@remix-run/node';
import { recordAudit } from '~/models/audit.server';
import { getDb } from '~/server/db.server';
import { assertSameOrigin, destroyUserSession, getUser } from '~/server/session.server';

// POST only: a GET (a link, a prefetch, an image tag) must never sign anyone out.
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await getUser(request);
  if (user) await recordAudit(getDb(), { actor: user, action: 'auth.logout', entityType: 'user', entityId: user.id });
  return destroyUserSession(request);
}

export function loader() {
  throw new Response('サインアウトはボタンから行ってください。', { status: 405, headers: { Allow: 'POST' } });
}
