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
  if (!FORM_TYPES.includes(mediaType)) {
    throw plain('フォームの形式で送信してください(application/x-www-form-urlencoded または multipart/form-data)。', 415);
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw plain('送信された内容が大きすぎます(64KBまで)。', 413);

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw plain('送信された内容を読み取れませんでした。', 400);
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        throw plain('送信された内容が大きすぎます(64KBまで)。', 413);
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
    throw plain('送信された内容を読み取れませんでした。', 400);
  }
}
