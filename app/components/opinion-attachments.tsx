// An opinion's attachments on its staff page: thumbnails and links (files are
// served only to signed-in staff), a form to attach scans, and for
// moderators the choice to publish one image beside the published reply.
import { Form } from '@remix-run/react';
import { AttachmentPicker } from './attachment-picker';
import { attachmentTypeLabel, formatFileSize, type AttachmentLimits } from '~/schemas/attachment-rules';
import { useTranslation } from 'react-i18next';
import { useStaffFormat } from '~/i18n/staff-format';

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
  const { t, dateTime } = useStaffFormat();
  const { t: ta } = useTranslation('attachments');
  const action = `/staff/opinions/${opinionId}/attachments`;
  return (
    <section aria-labelledby="attachments-title" id="attachments">
      <h2 id="attachments-title">{t('attachments:staff.title')}</h2>
      {result ? (
        <p className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      {attachments.length === 0 ? (
        <p>{t('attachments:staff.none')}</p>
      ) : (
        <ul className="attachment-list">
          {attachments.map((a) => (
            <li key={a.id}>
              {a.hasThumbnail ? (
                <a href={`/staff/attachments/${a.id}`} target="_blank" rel="noopener noreferrer">
                  <img src={`/staff/attachments/${a.id}?thumbnail=1`} alt={t('attachments:staff.thumbnailAlt', { name: a.name })} loading="lazy" />
                </a>
              ) : null}
              <p>
                <a href={`/staff/attachments/${a.id}`} {...(a.isImage ? { target: '_blank', rel: 'noopener noreferrer' } : { download: true })}>
                  {a.name}
                </a>{' '}
                {t(a.isImage ? 'attachments:staff.facts' : 'attachments:staff.factsDownload', { type: attachmentTypeLabel(a.type, ta), size: formatFileSize(a.size, ta) })}
              </p>
              <p className="hint">
                {a.addedBy
                  ? t('attachments:staff.addedBy', { name: a.addedBy, date: dateTime(a.createdAt) })
                  : t('attachments:staff.receivedWith', { date: dateTime(a.createdAt) })}
                {a.publishedAt ? t('attachments:staff.published', { date: dateTime(a.publishedAt) }) : ''}
              </p>
              {canPublish && a.isImage ? (
                <Form method="post" action={action}>
                  <input type="hidden" name="attachmentId" value={a.id} />
                  {a.publishedAt ? (
                    <button type="submit" name="intent" value="unpublish">
                      {t('attachments:staff.unpublish')}
                    </button>
                  ) : (
                    <button type="submit" name="intent" value="publish">
                      {t('attachments:staff.publish')}
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
        <AttachmentPicker limits={limits} label={t('attachments:picker.staffLabel')} resetKey={attachments.length} />
        <button type="submit">{t('attachments:staff.attach')}</button>
      </Form>
    </section>
  );
}
