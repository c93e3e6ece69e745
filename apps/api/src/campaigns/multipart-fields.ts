// Multipart form fields are text; the campaign schema wants numbers, lists and
// objects. This turns the text into those types the way a form user would
// write them, then the same schema as the JSON route checks the result, so the
// two routes give the same messages.
//
//   days_of_week=1,2,3  or [1,2,3]  or the field repeated
//   retry_on=busy,no_answer         blackout_dates=2026-12-25,2026-12-31
//   recipient_calling_hours=08:00-21:00  or {"start":"08:00","end":"21:00"}
//   an empty value means "not given"; "null" clears a nullable field
// Anything that cannot be read is passed on as text, for the schema to reject.
const INTEGER_FIELDS = new Set(['max_concurrent_calls', 'calls_per_minute', 'max_attempts', 'retry_delay_minutes']);
const INTEGER_LIST_FIELDS = new Set(['days_of_week']);
const TEXT_LIST_FIELDS = new Set(['blackout_dates', 'retry_on']);
const NULLABLE_FIELDS = new Set(['start_date', 'end_date', 'calls_per_minute', 'recipient_calling_hours', 'default_country']);

export function coerceFormFields(fields: Map<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, values] of fields) {
    const value = coerceField(name, values);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function coerceField(name: string, values: string[]): unknown {
  const nonEmpty = values.map((v) => v.trim()).filter((v) => v !== '');
  if (nonEmpty.length === 0) return undefined;
  const text = nonEmpty.join(',');
  if (NULLABLE_FIELDS.has(name) && text.toLowerCase() === 'null') return null;
  if (INTEGER_FIELDS.has(name)) return /^-?\d+$/.test(text) ? Number(text) : text;
  if (INTEGER_LIST_FIELDS.has(name)) return readList(text).map((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v));
  if (TEXT_LIST_FIELDS.has(name)) return readList(text).map((v) => (typeof v === 'string' ? v.trim() : v));
  if (name === 'recipient_calling_hours') return readHours(text);
  return nonEmpty.length === 1 ? nonEmpty[0] : text;
}

function readList(text: string): unknown[] {
  if (text.startsWith('[')) {
    const parsed = tryJson(text);
    if (Array.isArray(parsed)) return parsed;
  }
  return text.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

function readHours(text: string): unknown {
  if (text.startsWith('{')) return tryJson(text) ?? text;
  const match = /^(\S+)\s*-\s*(\S+)$/.exec(text);
  return match ? { start: match[1], end: match[2] } : text;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
