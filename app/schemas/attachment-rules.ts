// What the browser and the server both say about attachments: the field name,
// the accepted types, the limits' shape and every message (catalog keys of the
// `attachments` namespace). Free of zod and of *.server imports: the report
// page's form imports this module, and a file refused in the browser before
// upload must read exactly as the server's refusal would, in the page's language.
import type { Translate } from '~/utils/format';

/** The form field that carries the files (multipart/form-data). */
export const ATTACHMENT_FIELD = 'attachments';

/** The catalog namespace of these words; a page with a picker or a file list declares it. */
export const ATTACHMENTS_NS = 'attachments';

/**
 * What the file picker offers; the server decides by the bytes, never by this.
 * HEIC is taken but not asked for: iOS then hands the page a JPEG of the photo
 * (the server's sharp cannot decode the HEVC inside most HEIC files).
 */
export const ATTACHMENT_ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf';

export type AttachmentLimits = {
  maxFiles: number;
  maxBytes: number;
  maxTotalBytes: number;
};

/** "5 MB", "1.2 MB", "340 KB", "12 バイト" (1 MB = 1,048,576 bytes, as the limits are set). */
export function formatFileSize(bytes: number, t: Translate): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return t('attachments:size.bytes', { n: bytes });
}

const TYPE_KEYS: Record<string, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** The name of a stored type, for lists and mail (an unknown type is shown as it is). */
export function attachmentTypeLabel(type: string, t: Translate): string {
  const key = TYPE_KEYS[type];
  return key ? t(`attachments:types.${key}`) : type;
}

/** Why files are refused; the words are attachments:errors.<code>. */
export type AttachmentProblem =
  | { code: 'tooMany' | 'totalTooLarge' }
  | { code: 'fileTooLarge' | 'typeRefused' | 'heicUnsupported' | 'unreadable'; name: string };

export function attachmentMessage(problem: AttachmentProblem, limits: AttachmentLimits, t: Translate): string {
  return t(`attachments:errors.${problem.code}`, {
    name: 'name' in problem ? problem.name : '',
    maxFiles: limits.maxFiles,
    maxBytes: formatFileSize(limits.maxBytes, t),
    maxTotal: formatFileSize(limits.maxTotalBytes, t),
  });
}

export type ChosenFile = { name: string; size: number };

/** The first reason the chosen files cannot be sent, or null: run in the browser before upload and on the server after. */
export function chosenFilesProblem(files: readonly ChosenFile[], limits: AttachmentLimits): AttachmentProblem | null {
  if (files.length > limits.maxFiles) return { code: 'tooMany' };
  const oversized = files.find((f) => f.size > limits.maxBytes);
  if (oversized) return { code: 'fileTooLarge', name: oversized.name };
  if (files.reduce((sum, f) => sum + f.size, 0) > limits.maxTotalBytes) return { code: 'totalTooLarge' };
  return null;
}

/** The same check, in words. */
export function checkChosenFiles(files: readonly ChosenFile[], limits: AttachmentLimits, t: Translate): string | null {
  const problem = chosenFilesProblem(files, limits);
  return problem ? attachmentMessage(problem, limits, t) : null;
}
