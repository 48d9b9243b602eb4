// What the browser and the server both say about attachments: the field name,
// the accepted types, the limits' shape and every message. Free of zod and of
// *.server imports: the report page's form imports this module, and a file
// refused in the browser before upload must read exactly as the server's
// refusal would.

/** The form field that carries the files (multipart/form-data). */
export const ATTACHMENT_FIELD = 'attachments';

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
export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} バイト`;
}

/** Japanese names of the stored types, for lists and mail. */
export const ATTACHMENT_TYPE_LABELS: Record<string, string> = {
  'image/jpeg': 'JPEG画像',
  'image/png': 'PNG画像',
  'image/webp': 'WebP画像',
  'application/pdf': 'PDF',
};

export const ATTACHMENT_MESSAGES = {
  hint: (limits: AttachmentLimits) =>
    `写真(JPEG・PNG・WebP・HEIC)またはPDFを${limits.maxFiles}件まで添付できます。1件${formatFileSize(limits.maxBytes)}まで、合計${formatFileSize(limits.maxTotalBytes)}までです。画像は位置情報などを取り除いて保存します。`,
  fileTooLarge: (name: string, limits: AttachmentLimits) =>
    `「${name}」は大きすぎます。添付できるのは1件${formatFileSize(limits.maxBytes)}までです。`,
  totalTooLarge: (limits: AttachmentLimits) => `添付ファイルが大きすぎます。合計${formatFileSize(limits.maxTotalBytes)}までです。`,
  tooMany: (limits: AttachmentLimits) => `添付できるファイルは${limits.maxFiles}件までです。`,
  typeRefused: (name: string) =>
    `「${name}」は添付できない種類のファイルです。添付できるのはJPEG・PNG・WebP・HEICの画像とPDFです。`,
  heicUnsupported: (name: string) =>
    `「${name}」(HEIC画像)はこのサーバーでは読み込めませんでした。JPEGで保存し直すか、スクリーンショットを添付してください。`,
  unreadable: (name: string) => `「${name}」は壊れているか、読み込めないファイルです。別のファイルを選んでください。`,
  keptForm: '入力した内容はそのまま残っています。ファイルを選び直して、もう一度送信してください。',
} as const;

export type ChosenFile = { name: string; size: number };

/** The first reason the chosen files cannot be sent, or null: run in the browser before upload and on the server after. */
export function checkChosenFiles(files: readonly ChosenFile[], limits: AttachmentLimits): string | null {
  if (files.length > limits.maxFiles) return ATTACHMENT_MESSAGES.tooMany(limits);
  const oversized = files.find((f) => f.size > limits.maxBytes);
  if (oversized) return ATTACHMENT_MESSAGES.fileTooLarge(oversized.name, limits);
  if (files.reduce((sum, f) => sum + f.size, 0) > limits.maxTotalBytes) return ATTACHMENT_MESSAGES.totalTooLarge(limits);
  return null;
}
