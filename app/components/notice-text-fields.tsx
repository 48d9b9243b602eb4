// The notice's text: paste it, or choose a .txt file (UTF-8, 1 MB at most).
// A file wins over the pasted text; after a preview the text read from the
// file stands in the box, so the next step sends exactly what was previewed.
import { useTranslation } from 'react-i18next';

export function NoticeTextFields({ text, error, fileKey }: { text: string; error?: string | null; fileKey?: string }) {
  const { t } = useTranslation('admin');
  return (
    <>
      <div className="field">
        <label htmlFor="notice-text">{t('notices.text.label')}</label>
        <textarea
          id="notice-text"
          name="text"
          className="notice-textarea"
          defaultValue={text}
          key={`text-${fileKey ?? ''}`}
          aria-describedby={error ? 'notice-text-hint notice-text-error' : 'notice-text-hint'}
          aria-invalid={error ? true : undefined}
        />
        <p className="hint" id="notice-text-hint">
          {t('notices.text.hint')}
        </p>
        {error ? (
          <p className="field-error" id="notice-text-error">
            {error}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="notice-file">{t('notices.text.file')}</label>
        <input id="notice-file" key={`file-${fileKey ?? ''}`} type="file" name="file" accept=".txt,text/plain" />
      </div>
    </>
  );
}
