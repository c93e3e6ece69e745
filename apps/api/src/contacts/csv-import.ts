// Contacts from a CSV stream (DESIGN.md §5), parsed as the bytes arrive with
// csv-parse, never buffered whole.
//
// Rules: the first line is a header with a phone column (`phone`, `phone_number`
// or `number`, case-insensitive); optional `name` and `timezone`; every other
// column becomes a variable. BOM and CRLF are fine; blank lines are skipped; a
// row with the wrong number of fields is an invalid row. Rows are numbered by
// the line they start on (header = 1). A file that is not CSV text (binary, not
// UTF-8, wrong delimiter, no header, unbalanced quotes) is rejected as a whole
// with CSV_INVALID; over CSV_MAX_BYTES or CSV_MAX_ROWS it is a 413.
import { finished, Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import { ApiError } from '../errors.ts';
import type { ContactCollector } from './import-collector.ts';

export interface CsvLimits { maxRows: number; maxBytes: number }

const PHONE_HEADERS = ['phone', 'phone_number', 'number'];
const MAX_RECORD_CHARS = 1_000_000;

interface HeaderMap {
  width: number;
  phone: number;
  name: number | null;
  timezone: number | null;
  variables: { index: number; key: string }[];
}

export async function collectCsvContacts(source: Readable, limits: CsvLimits, collector: ContactCollector): Promise<void> {
  const guard = new CsvByteGuard(limits.maxBytes);
  const parser = parse({
    bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true,
    trim: true, info: true, max_record_size: MAX_RECORD_CHARS,
  });
  // `finished` also notices a stream destroyed without an error or a 'close' event (busboy's file
  // stream of a cut-off multipart upload), which would otherwise leave the parser waiting forever.
  finished(source, (error) => {
    const premature = (error as { code?: string } | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
    if (error && !premature) guard.destroy(error);
    else if (!source.readableEnded) guard.destroy(new ApiError(400, 'BAD_REQUEST', 'the upload was cut off before the file ended'));
  });
  guard.on('error', (e) => parser.destroy(e));
  source.pipe(guard).pipe(parser);
  let header: HeaderMap | null = null;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      if (!header) {
        header = readHeader(record);
        continue;
      }
      if (++rows > limits.maxRows) {
        throw new ApiError(413, 'CSV_TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows (CSV_MAX_ROWS); split it into smaller files`);
      }
      addRecord(collector, header, record, startLine(info, record));
    }
  } catch (error) {
    source.unpipe?.(guard);
    throw asCsvError(error);
  }
  if (!header) throw csvInvalid('the file is empty: the first line must be a header naming the columns, one of them phone');
  if (rows === 0) throw csvInvalid('the file has a header but no contact rows');
}

/** A declared Content-Length over the limit is refused before a byte is read. */
export function assertDeclaredSize(contentLength: string | undefined, maxBytes: number): void {
  if (contentLength !== undefined && Number(contentLength) > maxBytes) {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the body is ${contentLength} bytes; the limit is ${maxBytes} (CSV_MAX_BYTES)`);
  }
}

function addRecord(collector: ContactCollector, header: HeaderMap, record: string[], line: number): void {
  if (record.length !== header.width) {
    collector.addUnreadable({ line }, `has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${header.width}`);
    return;
  }
  const variables: Record<string, string> = {};
  for (const v of header.variables) variables[v.key] = record[v.index] ?? '';
  collector.add({ line }, {
    phone: record[header.phone] ?? '',
    name: header.name === null ? null : record[header.name] ?? null,
    timezone: header.timezone === null ? null : record[header.timezone] ?? null,
    variables,
  });
}

/** csv-parse reports the line a record ends on; a quoted field may span lines. */
function startLine(info: Info, record: string[]): number {
  let inner = 0;
  for (const field of record) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) inner++;
  return info.lines - inner;
}

export function readHeader(cells: string[]): HeaderMap {
  const names = cells.map((c) => c.trim());
  const lower = names.map((n) => n.toLowerCase());
  if (names.length === 1) {
    const delimiter = [';', '\t', '|'].find((d) => names[0]!.includes(d));
    if (delimiter) {
      throw csvInvalid(`the header ${JSON.stringify(names[0])} is a single column: the file seems to separate columns with ${JSON.stringify(delimiter)}; use commas`);
    }
  }
  const empty = names.findIndex((n) => n === '');
  if (empty !== -1) throw csvInvalid(`column ${empty + 1} of the header has no name: every column needs one`);
  const dup = lower.find((n, i) => lower.indexOf(n) !== i);
  if (dup !== undefined) throw csvInvalid(`the header names the column ${JSON.stringify(dup)} twice`);
  const phoneName = PHONE_HEADERS.find((h) => lower.includes(h));
  if (phoneName === undefined) throw csvInvalid(missingPhoneMessage(names));
  const phone = lower.indexOf(phoneName);
  const name = lower.indexOf('name');
  const timezone = lower.indexOf('timezone');
  const reserved = new Set([phone, name, timezone]);
  return {
    width: names.length,
    phone,
    name: name === -1 ? null : name,
    timezone: timezone === -1 ? null : timezone,
    variables: names.flatMap((key, index) => (reserved.has(index) ? [] : [{ index, key }])),
  };
}

function missingPhoneMessage(names: string[]): string {
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n)).join(', ');
  const looksLikeData = names.some((n) => /^\+?[\d\s().-]{7,}$/.test(n));
  return looksLikeData
    ? `the first line looks like data, not a header (${shown}): add a header line naming the columns, with one called phone`
    : `no phone column in the header (found ${shown}): name it phone, phone_number or number`;
}

function csvInvalid(message: string, details: unknown[] = []): ApiError {
  return new ApiError(422, 'CSV_INVALID', message, details);
}

/** csv-parse's own errors (bad quoting, huge records) become CSV_INVALID with the line. */
function asCsvError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const e = error as { code?: string; message?: string; lines?: number };
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    return csvInvalid(`the file is not valid CSV at line ${e.lines ?? '?'}: ${e.message ?? e.code}`, [{ line: e.lines, message: e.message }]);
  }
  return error;
}

/**
 * Counts bytes (413 over the limit) and rejects what is not text: NUL bytes
 * (binary files, UTF-16) or bytes that are not UTF-8 (a spreadsheet file).
 */
class CsvByteGuard extends Transform {
  private bytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new ApiError(413, 'PAYLOAD_TOO_LARGE', `the file is larger than ${this.maxBytes} bytes (CSV_MAX_BYTES); split it into smaller files`));
      return;
    }
    if (chunk.includes(0)) {
      done(csvInvalid('the file is binary, not CSV text (it contains NUL bytes): export it as CSV, comma-separated, UTF-8'));
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      done(csvInvalid('the file is not UTF-8 text (is it a spreadsheet file?): export it as CSV, comma-separated, UTF-8'));
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.decode();
      done();
    } catch {
      done(csvInvalid('the file ends in the middle of a UTF-8 character: export it as CSV, comma-separated, UTF-8'));
    }
  }
}
