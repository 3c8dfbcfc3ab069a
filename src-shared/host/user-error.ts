/**
 * The one kind of failure the host side turns into a message for the user (a bad file, a refused
 * path, a full disk) rather than "something went wrong": its message is the sentence shown.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
