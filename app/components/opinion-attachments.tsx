// An opinion's attachments on its staff page: thumbnails and links (files are
// served only to signed-in staff), a form to attach scans, and for
// moderators the choice to publish one image beside the published reply.
import { Form } from '@remix-run/react';
import { AttachmentPicker } from './attachment-picker';
import { ATTACHMENT_TYPE_LABELS, formatFileSize, type AttachmentLimits } from '~/schemas/attachment-rules';
import { formatDateTime } from '~/utils/local-time';

export type OpinionAttachment = {
  id: number;
  name: string;
  type: string;
  size: number;
  isImage: boolean;
  hasThumbnail: boolean;
  addedBy: string | null;
  createdAt: string;
  publishedAt: string | null;
};

export function OpinionAttachments({
  opinionId,
  attachments,
  limits,
  canPublish,
  result,
}: {
  opinionId: number;
  attachments: OpinionAttachment[];
  limits: AttachmentLimits;
  canPublish: boolean;
  result?: { ok: boolean; message: string } | null;
}) {
  const action = `/staff/opinions/${opinionId}/attachments`;
  return (
    <section aria-labelledby="attachments-title" id="attachments">
      <h2 id="attachments-title">添付ファイル</h2>
      {result ? (
        <p className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      {attachments.length === 0 ? (
        <p>添付ファイルはありません。</p>
      ) : (
        <ul className="attachment-list">
          {attachments.map((a) => (
            <li key={a.id}>
              {a.hasThumbnail ? (
                <a href={`/staff/attachments/${a.id}`} target="_blank" rel="noopener noreferrer">
                  <img src={`/staff/attachments/${a.id}?thumbnail=1`} alt={`${a.name}(縮小画像)`} loading="lazy" />
                </a>
              ) : null}
              <p>
                <a href={`/staff/attachments/${a.id}`} {...(a.isImage ? { target: '_blank', rel: 'noopener noreferrer' } : { download: true })}>
                  {a.name}
                </a>{' '}
                ({ATTACHMENT_TYPE_LABELS[a.type] ?? a.type}、{formatFileSize(a.size)}
                {a.isImage ? '' : '、ダウンロード'})
              </p>
              <p className="hint">
                {a.addedBy ? `${a.addedBy}が${formatDateTime(a.createdAt)}に添付` : `意見とともに${formatDateTime(a.createdAt)}に受付`}
                {a.publishedAt ? `。回答に添えて公開中(${formatDateTime(a.publishedAt)}から)` : ''}
              </p>
              {canPublish && a.isImage ? (
                <Form method="post" action={action}>
                  <input type="hidden" name="attachmentId" value={a.id} />
                  {a.publishedAt ? (
                    <button type="submit" name="intent" value="unpublish">
                      この画像の公開を取り下げる
                    </button>
                  ) : (
                    <button type="submit" name="intent" value="publish">
                      この画像を回答に添えて公開する
                    </button>
                  )}
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Form method="post" action={action} encType="multipart/form-data" className="attach-form">
        <input type="hidden" name="intent" value="attach" />
        <AttachmentPicker limits={limits} label="スキャンした書類・写真を添付" resetKey={attachments.length} />
        <button type="submit">添付する</button>
      </Form>
    </section>
  );
}
