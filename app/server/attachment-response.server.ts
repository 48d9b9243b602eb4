// How a stored attachment goes out: with the type decided at upload, never
// sniffed (nosniff), in a sandbox (a PDF or an image opened on its own runs no
// script and reaches no cookie), and a PDF only as a download.
import fs from 'node:fs';
import { createReadableStreamFromReadable } from '@remix-run/node';
import type { AttachmentFile } from '~/models/attachments.server';
import { storedPath } from './attachment-store.server';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/** RFC 6266: an ASCII fallback and the real name in UTF-8. */
function contentDisposition(kind: 'inline' | 'attachment', file: AttachmentFile, type: string): string {
  const fallback = `attachment-${file.id}.${EXTENSIONS[type] ?? 'bin'}`;
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(file.name)}`;
}

/** `notFound`: the 404 body when the stored file is missing, in the reader's language (the route words it). */
export function attachmentResponse(file: AttachmentFile, options: { thumbnail?: boolean; cacheControl?: string; notFound?: string } = {}): Response {
  const thumbnail = options.thumbnail === true && file.thumbnailSha256 !== null;
  const sha256 = thumbnail ? file.thumbnailSha256! : file.sha256;
  const type = thumbnail ? 'image/jpeg' : file.type;
  const filePath = storedPath(sha256);
  let size: number;
  try {
    size = fs.statSync(filePath).size;
  } catch {
    return new Response(options.notFound ?? 'Not Found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  return new Response(createReadableStreamFromReadable(fs.createReadStream(filePath)), {
    status: 200,
    headers: {
      'Content-Type': type,
      'Content-Length': String(size),
      'Content-Disposition': contentDisposition(type === 'application/pdf' ? 'attachment' : 'inline', file, type),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': 'sandbox',
      ...(options.cacheControl ? { 'Cache-Control': options.cacheControl } : {}),
    },
  });
}
