// Contacts from a CSV stream (DESIGN.md §5), parsed as the bytes arrive with
// csv-parse, never buffered whole.
//
// Rules: the first line is a header (csv-header.ts names the columns); BOM and
// CRLF, LF or CR line ends (even mixed) are fine; blank lines and rows of empty
// cells are skipped; a row with the wrong number of fields is an invalid row. A
// quote inside an unquoted field (`Dwayne "The Rock" Johnson`, `5'10"`) is kept
// as written, as spreadsheets read it; a quote that opens a field opens a quoted
// field. Rows are numbered by the line they start on (header = 1). A file that is
// not CSV text (binary, not UTF-8, wrong delimiter, no header, a broken quoted
// field) is rejected as a whole with CSV_INVALID — a parser error with the line of
// its row; over CSV_MAX_BYTES or CSV_MAX_ROWS it is a 413.
import { finished, Transform, type Readable, type TransformCallback } from 'node:stream';
import { CsvError, parse, type Options } from 'csv-parse';
import { ApiError, WHOLE_ROW } from '../errors.ts';
import { csvInvalid, readHeader, type HeaderMap } from './csv-header.ts';
import { CsvLineCounter } from './csv-line-numbers.ts';
import type { ContactCollector } from './import-collector.ts';

export interface CsvLimits { maxRows: number; maxBytes: number }

const MAX_RECORD_CHARS = 1_000_000;

interface LinedRecord { record: string[]; line: number }

export async function collectCsvContacts(source: Readable, limits: CsvLimits, collector: ContactCollector): Promise<void> {
  const guard = new CsvByteGuard(limits.maxBytes);
  const lines = new CsvLineCounter();
  const options: Options<LinedRecord, string[]> = {
    bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true,
    // Listed rather than guessed from the first line: a file whose rows end unlike its header stays one row per line.
    record_delimiter: ['\r\n', '\n', '\r'], max_record_size: MAX_RECORD_CHARS,
    // Counted as csv-parse emits each record, so a parser error finds every record before it counted.
    on_record: (record, info) => ({ record, line: lines.recordStarted(record, info.empty_lines) }),
  };
  const parser = parse(options as unknown as Options); // csv-parse types on_record's result only for `columns` parsers
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
    for await (const { record, line } of parser as AsyncIterable<LinedRecord>) {
      if (record.every((cell) => cell === '')) continue; // a line of empty cells (",,,"), as spreadsheets leave at the end
      if (!header) {
        header = readHeader(record);
        continue;
      }
      if (++rows > limits.maxRows) {
        throw new ApiError(413, 'CSV_TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows (CSV_MAX_ROWS); split it into smaller files`);
      }
      addRecord(collector, header, record, line);
    }
  } catch (error) {
    source.unpipe?.(guard);
    throw asCsvError(error, lines);
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
  const problem = widthProblem(header, record);
  if (problem !== null) {
    collector.addUnreadable({ line }, problem);
    return;
  }
  // No prototype: a column name can never reach Object.prototype (reserved names are refused anyway).
  const variables: Record<string, string> = Object.create(null);
  for (const v of header.variables) variables[v.key] = record[v.index] ?? '';
  collector.add({ line }, {
    phone: record[header.phone] ?? '',
    name: header.name === null ? null : record[header.name] ?? null,
    timezone: header.timezone === null ? null : record[header.timezone] ?? null,
    variables,
  });
}

/** A row has one field per named column, plus at most the header's unnamed trailing ones, left empty. */
function widthProblem(header: HeaderMap, record: string[]): string | null {
  const n = record.length;
  if (n < header.width || n > header.maxWidth) {
    return `has ${n} field${n === 1 ? '' : 's'}, the header has ${n < header.width ? header.width : header.maxWidth}`;
  }
  const stray = record.findIndex((cell, i) => i >= header.width && cell !== '');
  return stray === -1 ? null : `has a value in column ${stray + 1}, which has no name in the header`;
}

/** Any csv-parse error (its codes do not all start with CSV_) becomes CSV_INVALID with the line its row starts on. */
function asCsvError(error: unknown, lines: CsvLineCounter): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = lines.nextStart((error as { empty_lines?: number }).empty_lines ?? 0);
  const problem = parserProblem(error);
  return csvInvalid(`the file is not valid CSV at line ${line}: the row ${problem}`, [{ line, field: WHOLE_ROW, message: problem }]);
}

function parserProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'has a quote that is never closed: a field that starts with " must end with " (write a quote inside it as "")';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'has text after the closing quote of a quoted field: write a quote inside a quoted field as ""';
    case 'INVALID_OPENING_QUOTE':
      return 'has a quote inside a field: quote the whole field and write the quote as ""';
    case 'CSV_MAX_RECORD_SIZE':
      return `is longer than ${MAX_RECORD_CHARS} characters (is a quote left open?)`;
    default:
      return `could not be read: ${error.message}`;
  }
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
