import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getRequestT } from '~/i18n/i18n.server';
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

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await getRequestT(request, 'admin');
  throw new Response(t('logout.useButton'), { status: 405, headers: { Allow: 'POST' } });
}
