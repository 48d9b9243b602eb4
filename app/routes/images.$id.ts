// GET /images/:id — the one image a moderator published beside a reply, and
// only its re-encoded copy, only while that reply is published. Every other
// attachment is never public (see /staff/attachments/:id).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getPublishedImage } from '~/models/attachments.server';
import { attachmentResponse } from '~/server/attachment-response.server';
import { getDb } from '~/server/db.server';

export async function loader({ params }: LoaderFunctionArgs) {
  if (!/^[1-9]\d{0,9}$/.test(params.id ?? '')) throw new Response('Not Found', { status: 404 });
  const file = await getPublishedImage(getDb(), Number(params.id));
  if (!file) throw new Response('Not Found', { status: 404 });
  // Short: a withdrawn image must not linger in caches for long.
  return attachmentResponse(file, { cacheControl: 'public, max-age=300' });
}
