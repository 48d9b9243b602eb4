// The file field of a form that takes attachments. Without JavaScript it is a
// plain <input type="file" multiple> (the server checks everything). With
// JavaScript the chosen files are listed with their sizes, each can be
// removed before sending, and a file over the limits is refused at once with
// the message the server would give; the input's FileList is kept equal to
// the list shown, so what is sent is what the person sees.
import { useEffect, useId, useRef, useState } from 'react';
import {
  ATTACHMENT_ACCEPT,
  ATTACHMENT_FIELD,
  ATTACHMENT_MESSAGES,
  checkChosenFiles,
  formatFileSize,
  type AttachmentLimits,
} from '~/schemas/attachment-rules';

export function AttachmentPicker({
  limits,
  label = '写真・書類の添付(任意)',
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
    const problem = checkChosenFiles(candidate, limits);
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
      <label htmlFor={`${id}-input`}>{label}</label>
      <p className="hint" id={hintId}>
        {ATTACHMENT_MESSAGES.hint(limits)}
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
        <ul className="chosen-files" aria-label="選んだファイル">
          {files.map((file, i) => (
            <li key={`${file.name}-${file.size}-${i}`}>
              <span className="file-name">{file.name}</span> <span className="file-size">({formatFileSize(file.size)})</span>{' '}
              <button type="button" className="link-button" onClick={() => sync(files.filter((_, j) => j !== i))} aria-label={`「${file.name}」を取り除く`}>
                取り除く
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
