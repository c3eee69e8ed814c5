/** A refused alerting change, with the HTTP status the console answers it with. */
export class AlertingError extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}
