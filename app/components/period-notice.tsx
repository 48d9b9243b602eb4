// The comment period on the report page: the line that says until when
// opinions are taken (with the days left in the last week and any extension
// or early close), and the message that replaces a form outside the period.
export type PeriodView = {
  /** 意見募集期間: … まで (null = no dates: always open). */
  line: string | null;
  /** 締め切りまであと3日 / 本日締め切り, in the last week. */
  daysLeft: string | null;
  /** 延長されました / 早期終了 lines, oldest first. */
  changes: string[];
  /** Why the forms are closed now (null while opinions are taken). */
  closed: string | null;
  /** The phone and postal channels with the office's hours. */
  offline: string;
  officeHours: string;
};

export function PeriodLine({ period }: { period: PeriodView }) {
  if (!period.line && period.changes.length === 0) return null;
  return (
    <div className="period-line">
      {period.line ? (
        <p>
          <strong>{period.line}</strong>
          {period.daysLeft ? <>({period.daysLeft})</> : null}
        </p>
      ) : null}
      {period.changes.map((c, i) => (
        <p key={i}>{c}</p>
      ))}
    </div>
  );
}

export function FormsClosed({ period, id }: { period: PeriodView; id?: string }) {
  return (
    <div className="notice period-closed" id={id}>
      <p>{period.closed}</p>
      <p>{period.offline}</p>
    </div>
  );
}
