// The notice's text: paste it, or choose a .txt file (UTF-8, 1 MB at most).
// A file wins over the pasted text; after a preview the text read from the
// file stands in the box, so the next step sends exactly what was previewed.
export function NoticeTextFields({ text, error, fileKey }: { text: string; error?: string | null; fileKey?: string }) {
  return (
    <>
      <div className="field">
        <label htmlFor="notice-text">通報の本文(貼り付け)</label>
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
          公式ページの文面をそのまま貼り付けます(書式は運用手順 docs/consultations.md を参照)。
        </p>
        {error ? (
          <p className="field-error" id="notice-text-error">
            {error}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="notice-file">または、テキストファイルを選ぶ(.txt、UTF-8、1MBまで)</label>
        <input id="notice-file" key={`file-${fileKey ?? ''}`} type="file" name="file" accept=".txt,text/plain" />
      </div>
    </>
  );
}
