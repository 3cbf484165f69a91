// One error type for every layer: an internal cause, a message that is safe to show, and the HTTP status
// it maps to. Each door (API, pages, inbox, CLI) turns it into its own shape exactly once.

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unprocessable"
  | "rate_limited"
  | "unavailable"
  | "internal";

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra, safe-to-show details (e.g. per-field validation messages). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = statusOf[code];
    this.details = options.details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError("bad_request", message, details ? { details } : {});
export const notFound = (message = "Record not found") => new AppError("not_found", message);
export const forbidden = (message = "This action is not allowed") =>
  new AppError("forbidden", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
  new AppError("unprocessable", message, details ? { details } : {});
