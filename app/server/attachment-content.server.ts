// Making a received file safe to keep and to open. The type is decided by the
// bytes (file-type), never by the name or the browser's claim. Every image is
// decoded and re-encoded by sharp: turned upright, all metadata dropped (EXIF,
// GPS position, camera serial), at most 2,560 px on the long side, with a
// 320 px JPEG thumbnail. A PDF is kept as received once it looks like a whole
// PDF; it is only ever served as a download. The image work runs in a child
// process (image-child.server.ts): the server itself never loads sharp.
import fs from 'node:fs';
import { fileTypeFromFile } from 'file-type';
import type { AttachmentType } from '../../db/schema';
import { attachmentMessage, type AttachmentLimits, type AttachmentProblem } from '~/schemas/attachment-rules';
import { getT } from '~/i18n/i18n.server';
import type { Translate } from '~/utils/format';
import { getEnv } from '~/utils/env.server';
import { newTempPath, storeTempFile, uploadRoot } from './attachment-store.server';
import type { ReceivedFile } from './attachment-upload.server';
import { ImageChildLost, ImageChildren, type ImageAnswer } from './image-child.server';
import { log } from './request-log.server';

let imageChildren: ImageChildren | null = null;

/** At shutdown (decision 006): the image child, if one runs, ends. */
export async function stopImageChildren(): Promise<void> {
  const children = imageChildren;
  imageChildren = null;
  await children?.stop();
}

/**
 * Images re-encoded at once (decision 019). Each holds tens of MB of libvips
 * buffers (in the image child); on a machine with two cores there is no CPU
 * for more than two. The others wait their turn.
 */
export const IMAGE_JOBS = 2;
let imageJobs = 0;
const waitingForImageJob: Array<() => void> = [];

async function withImageJob<T>(job: () => Promise<T>): Promise<T> {
  if (imageJobs >= IMAGE_JOBS) await new Promise<void>((resolve) => waitingForImageJob.push(resolve));
  else imageJobs++;
  try {
    return await job();
  } finally {
    // The slot passes straight to the next in line, or is given back.
    const next = waitingForImageJob.shift();
    if (next) next();
    else imageJobs--;
  }
}

export const IMAGE_MAX_SIDE = 2560;
export const THUMBNAIL_SIDE = 320;
/** ~50 megapixels: a decompression bomb is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

type DetectedType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'application/pdf';
const ACCEPTED = new Set<string>(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf']);

/** A file that is not what we take; `problem` is worded by `describe` in the reader's language. */
export class AttachmentRefused extends Error {
  readonly status = 415;
  constructor(readonly problem: Extract<AttachmentProblem, { name: string }>) {
    super(attachmentMessage(problem, NO_LIMITS, getT('ja', 'attachments')));
  }

  describe(t: Translate): string {
    return attachmentMessage(this.problem, NO_LIMITS, t);
  }
}

/** These refusals name a file, never a limit. */
const NO_LIMITS: AttachmentLimits = { maxFiles: 0, maxBytes: 0, maxTotalBytes: 0 };

/** What the bytes say the file is, or null for anything we do not take. */
export async function detectAttachmentType(file: string): Promise<DetectedType | null> {
  const found = await fileTypeFromFile(file);
  if (!found || !ACCEPTED.has(found.mime)) return null;
  return found.mime === 'image/heif' ? 'image/heic' : (found.mime as DetectedType);
}

/** The files' types, or an AttachmentRefused naming the first file we do not take. */
export async function checkAttachmentTypes(files: readonly ReceivedFile[]): Promise<DetectedType[]> {
  const types: DetectedType[] = [];
  for (const file of files) {
    const type = await detectAttachmentType(file.tempPath);
    if (!type) throw new AttachmentRefused({ code: 'typeRefused', name: file.name });
    types.push(type);
  }
  return types;
}

/**
 * A light structural check, not a full parse: the `%PDF-1.x` header, a
 * `startxref` near the end pointing inside the file at a cross-reference
 * table (`xref`) or stream (`n g obj`), and `%%EOF` in the last kilobyte.
 * A truncated upload or a file that only starts like a PDF fails it.
 */
export function looksLikeWholePdf(bytes: Buffer): boolean {
  if (!/^%PDF-[12]\.\d/.test(bytes.subarray(0, 16).toString('latin1'))) return false;
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
  if (!tail.includes('%%EOF')) return false;
  const m = /startxref\s+(\d+)\s+%%EOF/.exec(tail);
  if (!m) return false;
  const offset = Number(m[1]);
  if (offset <= 0 || offset >= bytes.length) return false;
  const at = bytes.subarray(offset, offset + 32).toString('latin1');
  return /^\s*(xref\b|\d+\s+\d+\s+obj\b)/.test(at);
}

export type StoredAttachment = {
  name: string;
  type: AttachmentType;
  size: number;
  sha256: string;
  thumbnailSha256: string | null;
  width: number | null;
  height: number | null;
};

async function reencodeImage(file: ReceivedFile, detected: DetectedType, root: string): Promise<StoredAttachment> {
  const output: AttachmentType = detected === 'image/png' ? 'image/png' : detected === 'image/webp' ? 'image/webp' : 'image/jpeg';
  const imagePath = newTempPath(root);
  const thumbnailPath = newTempPath(root);
  try {
    let answer: ImageAnswer;
    try {
      imageChildren ??= new ImageChildren(getEnv().IMAGE_CHILD_IDLE_MS, getEnv().IMAGE_CHILD_MAX_JOBS);
      const children = imageChildren;
      answer = await withImageJob(() =>
        children.run({ input: file.tempPath, output, imagePath, thumbnailPath, maxSide: IMAGE_MAX_SIDE, thumbnailSide: THUMBNAIL_SIDE, maxInputPixels: MAX_INPUT_PIXELS }),
      );
    } catch (error) {
      if (!(error instanceof ImageChildLost)) throw error;
      // A file that crashes libvips (or a child killed meanwhile) is refused like one it cannot read.
      log('warn', 'image child lost with a file in hand; the file is refused', { error: error.message });
      answer = { refused: true };
    }
    // The prebuilt libvips decodes AVIF-coded HEIF only, not the HEVC most phones write.
    if ('refused' in answer) throw new AttachmentRefused({ code: detected === 'image/heic' ? 'heicUnsupported' : 'unreadable', name: file.name });
    const sha256 = await storeTempFile(imagePath, root);
    const thumbnailSha256 = await storeTempFile(thumbnailPath, root);
    return { name: file.name, type: output, size: answer.size, sha256, thumbnailSha256, width: answer.width, height: answer.height };
  } finally {
    // Moved into place, or left by a job that failed: nothing stays in tmp.
    fs.rmSync(imagePath, { force: true });
    fs.rmSync(thumbnailPath, { force: true });
  }
}

/**
 * Stores received files (images re-encoded, PDFs as they are) under their
 * content address and returns what their rows need. Throws AttachmentRefused
 * (415) naming a file that is not what its bytes claim. Call before the
 * transaction that inserts the rows; the temp files are the caller's to discard.
 */
export async function storeAttachments(files: readonly ReceivedFile[], root = uploadRoot()): Promise<StoredAttachment[]> {
  const types = await checkAttachmentTypes(files);
  const stored: StoredAttachment[] = [];
  for (const [i, file] of files.entries()) {
    const type = types[i];
    if (type === 'application/pdf') {
      if (!looksLikeWholePdf(await fs.promises.readFile(file.tempPath))) throw new AttachmentRefused({ code: 'unreadable', name: file.name });
      const sha256 = await storeTempFile(file.tempPath, root);
      stored.push({ name: file.name, type, size: file.size, sha256, thumbnailSha256: null, width: null, height: null });
    } else {
      stored.push(await reencodeImage(file, type, root));
    }
  }
  return stored;
}
