/**
 * Errors every layer raises or recognises, by class (never by message text).
 */

/** A turn under a quota, or a whole call, would come after the caller's deadline. */
export class DeadlineExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceededError';
  }
}
