// Domain errors with stable codes, and the one place where anything thrown while
// handling a request becomes the error envelope (DESIGN.md §5).
//
// Two kinds of error reach the handler: an ApiError, for a code of the API's
// own (CAMPAIGN_STATE_CONFLICT, CSV_INVALID, VALIDATION_FAILED with its field
// details, …), and a plain HTTP error from @fastify/sensible (`httpErrors.
// notFound(msg)`, `reply.notFound(msg)`, …) whose code is its status's own
// (404 → NOT_FOUND, 413 → PAYLOAD_TOO_LARGE, …). Both become the same envelope.
//
// Invariants: bad input is always a 4xx with a code a client can branch on and a
// message a person can act on; Postgres constraint errors that slip past the
// validators are 4xx too; a 5xx says only "internal error" (the detail goes to
// the log); no response ever carries a stack trace.
import { httpErrors } from '@fastify/sensible';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PgCodes, pgErrorCode } from '@wakeplan/db';

export const ERROR_CODES = [
  'VALIDATION_FAILED', 'CSV_INVALID', 'INVALID_JSON', 'BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'METHOD_NOT_ALLOWED',
  'CONFLICT', 'CAMPAIGN_STATE_CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'ON_DNC_LIST', 'PAYLOAD_TOO_LARGE', 'CSV_TOO_MANY_ROWS',
  'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'DATABASE_UNAVAILABLE', 'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field; `field` uses the request's snake_case names. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An item of `error.details` as sent: a field problem, for a CSV row with its line (or a JSON array's index). */
export interface Problem extends FieldProblem {
  line?: number;
  index?: number;
}

/** `field` for a problem with a whole CSV row (a parse error, a wrong number of columns) rather than one column. */
export const WHOLE_ROW = 'row';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
  }
}

export function validationFailed(details: FieldProblem[], message?: string): ApiError {
  const summary = message ?? `${details.length === 1 ? 'a field is' : `${details.length} fields are`} invalid: ${
    details.map((d) => `${d.field} ${d.message}`).join('; ')}`;
  return new ApiError(422, 'VALIDATION_FAILED', summary, details);
}

export function notFound(what: string, id: string): Error {
  return httpErrors.notFound(`no ${what} with id "${id}"`);
}

export interface ErrorBody {
  success: false;
  error: { code: ErrorCode; message: string; details: Problem[] };
}

function errorBody(code: ErrorCode, message: string, details: Problem[] = []): ErrorBody {
  return { success: false, error: { code, message, details } };
}

/** The error handler registered on the app: maps, logs 5xx, replies with the envelope. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = mapError(error);
  if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: mapped.body.error.code, reason: mapped.body.error.message }, 'request rejected');
  // Refused before the body was read (an early 413, a bad CSV): close the connection rather
  // than leave the client sending into a socket nobody reads.
  if (request.raw.complete === false) void reply.header('connection', 'close');
  void reply.status(mapped.status).send(mapped.body);
}

export function mapError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) return { status: error.statusCode, body: errorBody(error.code, error.message, error.details) };
  const pg = mapPostgresError(error);
  if (pg) return pg;
  const e = error as Partial<FastifyError> & { message?: string };
  const fastify = e.code ? mapFastifyCode(e.code, e.message ?? '') : null;
  if (fastify) return fastify;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return { status, body: errorBody(codeForStatus(status), e.message || 'bad request') };
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'internal error: the request could not be completed') };
}

function mapFastifyCode(code: string, message: string): { status: number; body: ErrorBody } | null {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: errorBody('INVALID_JSON', `the body is not valid JSON: ${message}`) };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: errorBody('INVALID_JSON', 'the body is empty but content-type is application/json') };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, body: errorBody('PAYLOAD_TOO_LARGE', `the request is too large: ${message}`) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', `unsupported content-type: ${message}`) };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_PROTO_VIOLATION':
      return { status: 400, body: errorBody('BAD_REQUEST', message) };
    default:
      return null;
  }
}

function mapPostgresError(error: unknown): { status: number; body: ErrorBody } | null {
  const code = pgErrorCode(error);
  if (!code) return null;
  const constraint = (error as { constraint_name?: string }).constraint_name;
  const where = constraint ? ` (constraint ${constraint})` : '';
  switch (code) {
    case PgCodes.CHECK_VIOLATION:
    case PgCodes.NOT_NULL_VIOLATION:
    case PgCodes.INVALID_TEXT_REPRESENTATION:
    case PgCodes.INVALID_DATETIME_FORMAT:
    case PgCodes.DATETIME_FIELD_OVERFLOW:
    case PgCodes.NUMERIC_VALUE_OUT_OF_RANGE:
      return { status: 422, body: errorBody('VALIDATION_FAILED', `a value was rejected by the database${where}`) };
    case PgCodes.UNIQUE_VIOLATION:
      return { status: 409, body: errorBody('CONFLICT', `this would duplicate an existing record${where}`) };
    case PgCodes.FOREIGN_KEY_VIOLATION:
      return { status: 404, body: errorBody('NOT_FOUND', `a referenced record does not exist${where}`) };
    case 'ECONNREFUSED':
    case 'CONNECT_TIMEOUT':
    case 'CONNECTION_CLOSED':
    case 'CONNECTION_ENDED':
    case 'CONNECTION_DESTROYED':
    case PgCodes.CANNOT_CONNECT_NOW:
    case PgCodes.ADMIN_SHUTDOWN:
      return { status: 503, body: errorBody('DATABASE_UNAVAILABLE', 'the database is unavailable; retry shortly') };
    default:
      return null;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 422) return 'VALIDATION_FAILED';
  if (status === 429) return 'RATE_LIMITED';
  return 'BAD_REQUEST';
}
