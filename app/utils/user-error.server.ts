import type { TFunction } from 'i18next';
import { getT } from '~/i18n/catalogs.server';
import { ADMIN_MESSAGE_VALUES } from '~/schemas/admin-messages';

/**
 * A message for a person, as code outside a route gives it: a catalog key
 * with its namespace ("models:units.nameTaken") and the values it names. The
 * route words it in the reader's language (`wordMessage(t, m)`).
 */
export type UserMessage = { key: string; values?: Record<string, unknown> };

/** The message in `t`'s language; text that is not a key is shown as it is. */
export function wordMessage(t: TFunction, m: UserMessage, extra?: Record<string, unknown>): string {
  return String(t(m.key, { ...extra, ...m.values, defaultValue: m.key }));
}

/** The message in Japanese (the ja catalog, with the limits admin messages name): for logs, the CLI and `Error.message`. */
export function japanese(m: UserMessage): string {
  return wordMessage(getT('ja', 'models'), m, ADMIN_MESSAGE_VALUES);
}

/**
 * A refusal the person can act on. `key` and `values` name it in the catalogs
 * (`describe(t)` words it for the reader); `message` is its Japanese text,
 * for the CLI and logs.
 */
export class UserError extends Error {
  readonly key: string;

  constructor(
    key: string,
    readonly status: 400 | 404 | 409 = 400,
    readonly values: Record<string, unknown> = {},
  ) {
    super(japanese({ key, values }));
    this.name = 'UserError';
    this.key = key;
  }

  /** The message in `t`'s language (`extra`: limits a schema message names). */
  describe(t: TFunction, extra?: Record<string, unknown>): string {
    return wordMessage(t, { key: this.key, values: this.values }, extra);
  }
}
