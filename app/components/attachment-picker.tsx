// The file field of a form that takes attachments. Without JavaScript it is a
// plain <input type="file" multiple> (the server checks everything). With
// JavaScript the chosen files are listed with their sizes, each can be
// removed before sending, and a file over the limits is refused at once with
// the message the server would give; the input's FileList is kept equal to
// the list shown, so what is sent is what the person sees.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTACHMENT_ACCEPT, ATTACHMENT_FIELD, ATTACHMENTS_NS, checkChosenFiles, formatFileSize, type AttachmentLimits } from '~/schemas/attachment-rules';

export function AttachmentPicker({
  limits,
  label,
  error,
  resetKey,
}: {
  limits: AttachmentLimits;
  label?: string;
  /** The server's refusal (413/415), shown beside the field. */
  error?: string;
  /** Changes when the form was sent: the list empties. */
  resetKey?: unknown;
}) {
  const { t } = useTranslation(ATTACHMENTS_NS);
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    setFiles([]);
    setRefusal(null);
  }, [resetKey]);

  const sync = (next: File[]) => {
    setFiles(next);
    const input = inputRef.current;
    if (!input) return;
    const transfer = new DataTransfer();
    for (const file of next) transfer.items.add(file);
    input.files = transfer.files;
  };

  const onChange = () => {
    const chosen = Array.from(inputRef.current?.files ?? []);
    // A new choice adds to the list (the picker replaces its FileList otherwise).
    const candidate = [...files, ...chosen.filter((c) => !files.some((f) => f.name === c.name && f.size === c.size))];
    const problem = checkChosenFiles(candidate, limits, t);
    if (problem) {
      setRefusal(problem);
      sync(files);
      return;
    }
    setRefusal(null);
    sync(candidate);
  };

  const shown = refusal ?? error ?? null;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field attachment-picker">
      <label htmlFor={`${id}-input`}>{label ?? t('picker.label')}</label>
      <p className="hint" id={hintId}>
        {t('picker.hint', { maxFiles: limits.maxFiles, maxBytes: formatFileSize(limits.maxBytes, t), maxTotal: formatFileSize(limits.maxTotalBytes, t) })}
      </p>
      <input
        ref={inputRef}
        id={`${id}-input`}
        type="file"
        name={ATTACHMENT_FIELD}
        multiple
        accept={ATTACHMENT_ACCEPT}
        aria-describedby={shown ? `${hintId} ${errorId}` : hintId}
        aria-invalid={shown ? true : undefined}
        onChange={hydrated ? onChange : undefined}
      />
      {shown ? (
        <p className="field-error" id={errorId} role="alert">
          {shown}
        </p>
      ) : null}
      {hydrated && files.length > 0 ? (
        <ul className="chosen-files" aria-label={t('picker.chosen')}>
          {files.map((file, i) => (
            <li key={`${file.name}-${file.size}-${i}`}>
              <span className="file-name">{file.name}</span> <span className="file-size">({formatFileSize(file.size, t)})</span>{' '}
              <button type="button" className="link-button" onClick={() => sync(files.filter((_, j) => j !== i))} aria-label={t('picker.removeLabel', { name: file.name })}>
                {t('picker.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
