// The line of the file each CSV record starts on (header = line 1), for row
// errors and parser errors.
//
// csv-parse's own `info.lines` cannot be used: it counts a CR and an LF inside a
// quoted field as two lines, so every quoted CRLF shifts all later lines by one,
// and it gives the line a record ends on. Instead a record starts on the line
// after the previous record ended, plus the blank lines csv-parse skipped in
// between (`info.empty_lines`, which it counts exactly); it ends as many lines
// later as it has line breaks inside quotes (CRLF, CR or LF, each one break).
// Invariant: `recordStarted` is called for every record csv-parse emits, in
// order — records the import then ignores included.

const LINE_BREAK = /\r\n|\r|\n/g;

export class CsvLineCounter {
  private lastEnd = 0;
  private emptyLinesSeen = 0;

  /** The line `record` starts on; `emptyLines` is csv-parse's `info.empty_lines` when it was emitted. */
  recordStarted(record: readonly string[], emptyLines: number): number {
    const start = this.nextStart(emptyLines);
    let breaks = 0;
    for (const field of record) {
      if (field.includes('\n') || field.includes('\r')) breaks += field.match(LINE_BREAK)!.length;
    }
    this.lastEnd = start + breaks;
    this.emptyLinesSeen = emptyLines;
    return start;
  }

  /** The line the record csv-parse is reading starts on (for its errors, which carry `empty_lines`). */
  nextStart(emptyLines: number): number {
    return this.lastEnd + 1 + (emptyLines - this.emptyLinesSeen);
  }
}
