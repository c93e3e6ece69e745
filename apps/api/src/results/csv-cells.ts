// CSV for spreadsheets: RFC 4180 rows, every cell quoted, and cells a spreadsheet
// would run as a formula neutralised as the OWASP "CSV Injection" advice says.
//
// Invariants: a cell whose first character is = + - @ TAB or CR is prefixed
// with a single quote, so no spreadsheet evaluates it (E.164 phones start with
// "+" and are prefixed too: the cell reads as text `'+1415…` instead of a number
// that lost its "+"; one rule for every cell, no exceptions to audit); every cell is wrapped in
// double quotes with inner quotes doubled, so commas, quotes and line breaks
// inside a value never break the row.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number | null): string {
  if (value === null) return '""';
  const text = String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function csvRow(cells: (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
