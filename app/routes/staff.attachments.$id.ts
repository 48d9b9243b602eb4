// GET /staff/attachments/:id (?thumbnail=1 for an image's 320 px copy): a file
// that came with an opinion, for signed-in staff only.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getRequestT } from '~/i18n/i18n.server';
import { getAttachmentFile } from '~/models/attachments.server';
import { attachmentResponse } from '~/server/attachment-response.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { requireId } from '~/utils/form.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, 'models');
  const notFound = t('models:attachments.notFound');
  const id = requireId(params, 'id', notFound);
  const file = await getAttachmentFile(getDb(), id);
  if (!file) throw new Response(notFound, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return attachmentResponse(file, { thumbnail: new URL(request.url).searchParams.get('thumbnail') === '1', notFound });
}
