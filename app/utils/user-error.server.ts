/** A refusal the person can act on: its message is Japanese and safe to show. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
