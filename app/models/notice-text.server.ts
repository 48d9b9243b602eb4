// A notice's text as the console's forms send it (an uploaded .txt file or
// pasted text) and the parser's preview of it, before anything is stored.
import type { TFunction } from 'i18next';
import { checkNotice, guessLegacyEncoding, type ParsedNotice } from '~/domain/notice-parser.server';
import { NOTICE_LIMITS, NOTICE_TOO_LARGE_MESSAGE } from '~/schemas/notice-admin';

/** A refusal's `message` is a catalog key, worded by the route with `values`. */
export type NoticeText = { ok: true; text: string } | { ok: false; status: 400 | 413; message: string; values?: Record<string, unknown> };

/**
 * The notice text of a console form: an uploaded `.txt` file (UTF-8, at most
 * 1 MB) when one was chosen, else the pasted text. A file in another encoding
 * is refused with a message naming it.
 */
export async function readNoticeText(form: FormData): Promise<NoticeText> {
  const file = form.get('file');
  if (file && typeof file !== 'string' && file.size > 0) {
    if (file.size > NOTICE_LIMITS.textMaxBytes) return { ok: false, status: 413, message: 'models:notices.fileTooLarge', values: { size: (file.size / 1024 / 1024).toFixed(1) } };
    if (!/\.txt$/i.test(file.name)) return { ok: false, status: 400, message: 'models:notices.fileNotTxt' };
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      const guess = guessLegacyEncoding(bytes);
      return {
        ok: false,
        status: 400,
        message: guess ? 'models:notices.fileNotUtf8' : 'models:notices.fileInvalidUtf8',
        values: { encoding: guess },
      };
    }
  }
  const pasted = form.get('text');
  const text = typeof pasted === 'string' ? pasted : '';
  if (Buffer.byteLength(text, 'utf8') > NOTICE_LIMITS.textMaxBytes) return { ok: false, status: 413, message: NOTICE_TOO_LARGE_MESSAGE };
  if (text.trim() === '') return { ok: false, status: 400, message: 'models:notices.textMissing' };
  return { ok: true, text };
}

export type NoticePreview = { notice: ParsedNotice | null; errors: Array<{ line: number; problem: string }> };

/** The parser's view of a text: the notice, or each problem with its line (in `t`'s language; Japanese without). */
export function previewNotice(text: string, t?: TFunction): NoticePreview {
  const { notice, errors } = checkNotice(text);
  return { notice, errors: errors.map((e) => ({ line: e.line, problem: t ? e.describe(t) : e.problem })) };
}
