// The one error a notice text gets (notice-parser.server.ts, notice-input.server.ts).
import type { TFunction } from 'i18next';
import { japanese, wordMessage } from '~/utils/user-error.server';

/**
 * One problem of a notice text: its line and a catalog key
 * (models:parse.*) with its values. `problem` and `message` are the Japanese
 * wording (the CLI's); the console words it in the staff member's language
 * with `describe(t)`.
 */
export class NoticeParseError extends Error {
  public line: number;
  public problem: string;
  public key: string;
  public values: Record<string, unknown>;

  constructor(line: number, key: string, values: Record<string, unknown> = {}) {
    const problem = japanese({ key, values });
    super(japanese({ key: 'models:parse.line', values: { line, problem } }));
    this.name = 'NoticeParseError';
    this.line = line;
    this.problem = problem;
    this.key = key;
    this.values = values;
  }

  /** The problem (without its line) in `t`'s language. */
  describe(t: TFunction): string {
    return wordMessage(t, { key: this.key, values: this.values });
  }
}
