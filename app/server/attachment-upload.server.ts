// Reads a multipart form with files, streaming: Remix's own parser hands each
// part to our handler, which writes a file part to a temp file as it arrives
// and stops keeping bytes past the per-file limit. Nothing here holds more
// than one chunk of a file in memory, and the whole body is cut off at
// `bodyCap` (the total file limit plus room for the fields), so a 200 MB body
// costs no more than a 10 MB one. Text fields keep what was typed even when a
// file is refused, so the page can show the form again.
import fs from 'node:fs';
import { unstable_parseMultipartFormData, type UploadHandlerPart } from '@remix-run/node';
import { ATTACHMENT_FIELD, attachmentMessage, type AttachmentLimits } from '~/schemas/attachment-rules';
import { getRequestT } from '~/i18n/i18n.server';
import { MAX_FORM_BYTES, readFormBody } from '~/utils/form.server';
import { cleanLine } from '~/utils/text';
import { getEnv } from '~/utils/env.server';
import { newTempPath } from './attachment-store.server';

/** A file as received, in the temp folder: nothing about it is trusted yet. */
export type ReceivedFile = { name: string; tempPath: string; size: number };

export type UploadRefusal = { status: 400 | 413 | 415; message: string };

export type UploadedForm = {
  /** The text fields, as typed. */
  form: FormData;
  files: ReceivedFile[];
  /** The first reason the files (or the body) cannot be accepted; the fields are kept anyway. */
  refusal: UploadRefusal | null;
};

/** Room for the text fields and the parts' headers beside the files. */
export const FIELD_ROOM_BYTES = MAX_FORM_BYTES + 16 * 1024;

export function attachmentLimits(): AttachmentLimits {
  const env = getEnv();
  return { maxFiles: env.ATTACHMENT_MAX_FILES, maxBytes: env.ATTACHMENT_MAX_BYTES, maxTotalBytes: env.ATTACHMENT_MAX_TOTAL_BYTES };
}

/** Staff attach at least one scan, even where the web form takes none (ATTACHMENT_MAX_FILES=0). */
export function staffAttachmentLimits(): AttachmentLimits {
  const limits = attachmentLimits();
  return { ...limits, maxFiles: Math.max(1, limits.maxFiles) };
}

/** The largest multipart body an upload form may send. */
export function uploadBodyCap(limits = attachmentLimits()): number {
  return limits.maxTotalBytes + FIELD_ROOM_BYTES;
}

class BodyTooLarge extends Error {}

function isMultipart(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase() === 'multipart/form-data';
}

/** A file's name as shown to staff: the basename, cleaned, at most 200 code points. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = Array.from(cleanLine(base)).slice(0, 200).join('');
  return cleaned || '名前のないファイル';
}

/** Deletes the temp files of a request (after they were stored, or when the form was refused). */
export function discardReceivedFiles(files: readonly ReceivedFile[]): void {
  for (const file of files) fs.rmSync(file.tempPath, { force: true });
}

/**
 * Reads a form that may carry files in the `attachments` field. An
 * urlencoded body (an old page, a script) is read as before, with no files.
 * Throws a Response only when the body is not a form at all (415) or cannot
 * be read (400); limits are reported in `refusal` with the fields kept.
 */
export async function readUploadForm(request: Request, limits = attachmentLimits()): Promise<UploadedForm> {
  if (!isMultipart(request)) return { form: await readFormBody(request), files: [], refusal: null };
  const bodyCap = uploadBodyCap(limits);
  const declared = Number(request.headers.get('content-length') ?? '0');
  const form = new FormData();
  const files: ReceivedFile[] = [];
  // Refusals are worded in the request's language (the picker says the same before upload).
  const { t } = await getRequestT(request, ['attachments', 'common']);
  const TOO_LARGE = (l: AttachmentLimits) => attachmentMessage({ code: 'totalTooLarge' }, l, t);
  let refusal: UploadRefusal | null = null;
  const refuse = (status: UploadRefusal['status'], message: string) => {
    refusal ??= { status, message };
  };
  if (declared > bodyCap) {
    // Not read at all: the server closes the connection after answering.
    refuse(413, TOO_LARGE(limits));
    return { form, files, refusal };
  }

  let bodyBytes = 0;
  let fieldBytes = 0;
  let fileBytes = 0;
  const count = (chunk: Uint8Array) => {
    bodyBytes += chunk.byteLength;
    if (bodyBytes > bodyCap) throw new BodyTooLarge();
  };
  const drain = async (data: AsyncIterable<Uint8Array>) => {
    for await (const chunk of data) count(chunk);
  };

  const handler = async (part: UploadHandlerPart): Promise<undefined> => {
    if (part.filename === undefined) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of part.data) {
        count(chunk);
        fieldBytes += chunk.byteLength;
        if (fieldBytes <= MAX_FORM_BYTES) chunks.push(chunk);
      }
      if (fieldBytes > MAX_FORM_BYTES) refuse(413, t('attachments:errors.formTooLarge'));
      else form.append(part.name, new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)));
      return undefined;
    }
    // An empty file input still sends a part with no name and no bytes.
    if (part.name !== ATTACHMENT_FIELD || part.filename === '') return drain(part.data).then(() => undefined);
    const name = cleanFileName(part.filename);
    if (files.length >= limits.maxFiles) {
      refuse(413, attachmentMessage({ code: 'tooMany' }, limits, t));
      return drain(part.data).then(() => undefined);
    }
    const tempPath = newTempPath();
    const handle = await fs.promises.open(tempPath, 'wx', 0o600);
    let size = 0;
    let kept = true;
    try {
      for await (const chunk of part.data) {
        count(chunk);
        size += chunk.byteLength;
        if (!kept) continue;
        if (size > limits.maxBytes) {
          kept = false;
          refuse(413, attachmentMessage({ code: 'fileTooLarge', name }, limits, t));
          continue;
        }
        if (fileBytes + size > limits.maxTotalBytes) {
          kept = false;
          refuse(413, TOO_LARGE(limits));
          continue;
        }
        await handle.write(chunk);
      }
    } catch (error) {
      await handle.close();
      fs.rmSync(tempPath, { force: true });
      throw error;
    }
    await handle.close();
    if (kept && size > 0) {
      fileBytes += size;
      files.push({ name, tempPath, size });
    } else {
      fs.rmSync(tempPath, { force: true });
    }
    return undefined;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      refuse(413, TOO_LARGE(limits));
    } else {
      discardReceivedFiles(files);
      throw new Response(t('common:errors.unreadable'), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  }
  if (refusal) {
    discardReceivedFiles(files);
    return { form, files: [], refusal };
  }
  return { form, files, refusal: null };
}
