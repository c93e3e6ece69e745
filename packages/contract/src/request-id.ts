// Request ids across processes: the API names every request (a UUID, or the
// caller's own `X-Request-Id` when it is sane), echoes it, logs it, and sends it
// on the doorbell it rings after that request's write, so the worker's wake can
// be traced to the write that caused it.
//
// Sane: 1–128 characters of letters, digits and `-_.:@+/=`, so an id is safe in
// a log line and a header and cannot forge another field; anything else is
// ignored (a new UUID is made instead), never an error.
export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9\-_.:@+/=]{1,128}$/;

/** The id a caller sent in X-Request-Id, or null when absent or not sane. */
export function saneRequestId(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : null;
}
