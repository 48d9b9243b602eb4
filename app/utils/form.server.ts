import type { z } from 'zod';
import type { TFunction } from 'i18next';
import { getRequestT, getT } from '~/i18n/i18n.server';
import { translateIssue } from '~/schemas/opinion';
// Reads a form body with a size cap, before anything parses it: an attacker's
// body must cost at most 64 KB of memory and must never produce a 500.
export const MAX_FORM_BYTES = 64 * 1024;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

function plain(message: string, status: number): Response {
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
  // The rest of an oversized body is still on the socket: close it rather than
  // parse those bytes as the next request of a keep-alive connection.
  if (status === 413) headers.Connection = 'close';
  return new Response(message, { status, headers });
}

/**
 * The request's form fields. Throws a Response: 415 for a body that is not a
 * form, 413 for one over `maxBytes`, 400 for a malformed multipart body.
 * Invalid UTF-8 becomes U+FFFD rather than an error.
 */
export async function readFormBody(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  // The refusals speak the page's language (the root ErrorBoundary words a thrown one itself).
  const { t } = await getRequestT(request);
  if (!FORM_TYPES.includes(mediaType)) {
    throw plain(t('errors.unsupported.body'), 415);
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw plain(t('errors.tooLargeShort'), 413);

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw plain(t('errors.unreadable'), 400);
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        throw plain(t('errors.tooLargeShort'), 413);
      }
      chunks.push(chunk.value);
    }
  }
  const bytes = Buffer.concat(chunks);

  if (mediaType === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    const form = new FormData();
    for (const [k, v] of params) form.append(k, v);
    return form;
  }
  try {
    return await new Request('http://localhost/', { method: 'POST', headers: { 'Content-Type': contentType }, body: bytes }).formData();
  } catch {
    throw plain(t('errors.unreadable'), 400);
  }
}

// One way to read a form: every staff action (and the public ones after their
// abuse checks) goes through parseForm, so a bad field is a 400 with
// messages beside the fields, never a 500 and never a half-applied change.

/** The first string value of each field, as typed (for showing the form again). */
export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { success: true; data: T; values: FormValues }
  | { success: false; errors: FieldErrors; formError: string | null; values: FormValues };

export function formValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of form) {
    if (typeof value === 'string' && !(key in values)) values[key] = value;
  }
  return values;
}

/**
 * Validates form fields with a zod schema; errors keyed by their first path
 * element. Messages that are catalog keys (validation.…) are translated with
 * `t` (default: Japanese); other messages are shown as written.
 */
export function parseFormData<S extends z.ZodTypeAny>(form: FormData, schema: S, t: TFunction = getT('ja')): FormResult<z.output<S>> {
  const values = formValues(form);
  const result = schema.safeParse(values);
  if (result.success) return { success: true, data: result.data, values };
  const errors: FieldErrors = {};
  let formError: string | null = null;
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    const message = translateIssue(issue, t);
    if (field === undefined) formError ??= message;
    else errors[String(field)] ??= message;
  }
  return { success: false, errors, formError: formError ?? Object.values(errors)[0] ?? null, values };
}

/** Reads the request's form (415/413 as thrown Responses) and validates it. */
export async function parseForm<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<FormResult<z.output<S>>> {
  const form = await readFormBody(request);
  return parseFormData(form, schema, (await getRequestT(request)).t);
}

const ID = /^[1-9]\d{0,9}$/;

/** A positive integer route parameter, or a thrown 404 with a Japanese message. */
export function requireId(params: Record<string, string | undefined>, name = 'id', notFound = '指定されたものが見つかりません。'): number {
  const raw = params[name] ?? '';
  if (!ID.test(raw)) throw new Response(notFound, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return Number(raw);
}
