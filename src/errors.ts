/**
 * An error caused by input or environment that the user can fix. Its message
 * is shown as it is, without a stack trace, and names what to do next.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** Turns anything thrown into a one-paragraph message for the log. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  return String(error)
}
