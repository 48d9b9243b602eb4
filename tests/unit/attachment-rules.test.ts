// What the browser and the server say about chosen files, and the PDF check.
import { describe, expect, it } from 'vitest';
import { checkChosenFiles, formatFileSize } from '~/schemas/attachment-rules';
import { getT } from '~/i18n/i18n.server';
import { looksLikeWholePdf } from '~/server/attachment-content.server';
import { cleanFileName } from '~/server/attachment-upload.server';
import { pdf } from '../helpers/attachments';

const t = getT('ja', 'attachments');

const limits = { maxFiles: 3, maxBytes: 5 * 1024 * 1024, maxTotalBytes: 10 * 1024 * 1024 };

describe('chosen files', () => {
  it('says sizes as people read them', () => {
    expect(formatFileSize(5 * 1024 * 1024, t)).toBe('5 MB');
    expect(formatFileSize(1.25 * 1024 * 1024, t)).toBe('1.3 MB');
    expect(formatFileSize(340 * 1024, t)).toBe('340 KB');
    expect(formatFileSize(12, t)).toBe('12 バイト');
  });

  it('refuses too many, one too large, and too much together, naming the file', () => {
    const mb = 1024 * 1024;
    expect(checkChosenFiles([{ name: 'a.jpg', size: mb }], limits, t)).toBeNull();
    expect(checkChosenFiles([1, 2, 3, 4].map((i) => ({ name: `${i}.jpg`, size: 10 })), limits, t)).toBe('添付できるファイルは3件までです。');
    expect(checkChosenFiles([{ name: '大きい.jpg', size: 6 * mb }], limits, t)).toBe('「大きい.jpg」は大きすぎます。添付できるのは1件5 MBまでです。');
    expect(checkChosenFiles([4, 4, 4].map((i) => ({ name: `${i}.jpg`, size: i * mb })), limits, t)).toBe('添付ファイルが大きすぎます。合計10 MBまでです。');
  });

  it('keeps the base name of a file, cleaned', () => {
    expect(cleanFileName('C:\\Users\\me\\写真\u202e.jpg')).toBe('写真.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('\u200b')).toBe('名前のないファイル');
  });
});

describe('the PDF check', () => {
  it('accepts a whole PDF and refuses a cut one or one that only starts like a PDF', () => {
    const whole = pdf();
    expect(looksLikeWholePdf(whole)).toBe(true);
    expect(looksLikeWholePdf(whole.subarray(0, whole.length - 40))).toBe(false);
    expect(looksLikeWholePdf(Buffer.from('%PDF-1.4\n<html>not a pdf</html>\n%%EOF\n'))).toBe(false);
    // startxref pointing somewhere that is not a cross-reference.
    const wrong = Buffer.from(whole.toString('latin1').replace(/startxref\n\d+/, 'startxref\n3'), 'latin1');
    expect(looksLikeWholePdf(wrong)).toBe(false);
  });
});
