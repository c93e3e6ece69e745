// Collects contacts from an upload, row by row: valid ones (deduplicated by
// E.164 within the upload), invalid ones with their line (CSV) or index (JSON)
// and reasons, and turns the outcome into the import report or, all-or-nothing
// by default, into a 422 that writes nothing.
//
// Invariants: the reported error list is capped (MAX_REPORTED_ROW_ERRORS) but
// `invalid` always counts every invalid row; a duplicate is not an error.
import { ApiError, validationFailed, WHOLE_ROW } from '../errors.ts';
import { MAX_REPORTED_ROW_ERRORS } from '../schemas/contacts.ts';
import { checkContact, type ContactDraft, type RawContact } from './contact-check.ts';

export interface RowError { line?: number; index?: number; field?: string; message: string }

export interface ImportReport {
  received: number;
  imported: number;
  duplicates: number;
  suppressed: number;
  invalid: number;
  errors: RowError[];
  errors_truncated: boolean;
}

export type RowPosition = { line: number } | { index: number };

export class ContactCollector {
  readonly drafts: ContactDraft[] = [];
  readonly errors: RowError[] = [];
  received = 0;
  invalid = 0;
  duplicatesInUpload = 0;
  private problemCount = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly defaultCountry: string | null) {}

  add(position: RowPosition, raw: RawContact): void {
    this.received++;
    const checked = checkContact(raw, this.defaultCountry);
    if (!checked.ok) {
      this.invalid++;
      for (const p of checked.problems) this.reject(position, p.message, p.field);
      return;
    }
    if (this.seen.has(checked.value.phone)) {
      this.duplicatesInUpload++;
      return;
    }
    this.seen.add(checked.value.phone);
    this.drafts.push(checked.value);
  }

  /** A row that could not even be read as a contact (e.g. the wrong number of columns). */
  addUnreadable(position: RowPosition, message: string): void {
    this.received++;
    this.invalid++;
    this.reject(position, message);
  }

  private reject(position: RowPosition, message: string, field?: string): void {
    this.problemCount++;
    if (this.errors.length >= MAX_REPORTED_ROW_ERRORS) return;
    this.errors.push(field === undefined ? { ...position, message } : { ...position, field, message });
  }

  /** Throws the all-or-nothing 422 when any row is invalid and skipping was not asked for. */
  assertAcceptable(skipInvalid: boolean, source: 'csv' | 'json'): void {
    if (this.invalid === 0 || skipInvalid) return;
    const summary = `${this.invalid} of ${this.received} ${source === 'csv' ? 'rows' : 'contacts'} ${this.invalid === 1 ? 'is' : 'are'} invalid; nothing was imported. Fix ${this.invalid === 1 ? 'it' : 'them'} or retry with ?skip_invalid=true to import the valid ones${this.truncated() ? ` (the first ${this.errors.length} problems are listed)` : ''}`;
    if (source === 'csv') throw new ApiError(422, 'CSV_INVALID', summary, this.errors.map((e) => ({ field: WHOLE_ROW, ...e })));
    throw validationFailed(this.errors.map((e) => ({ field: `contacts[${e.index ?? 0}]${e.field ? `.${e.field}` : ''}`, message: e.message })), summary);
  }

  /** The report once `imported` rows were written, `suppressed` left out as listed do-not-call (the rest already existed). */
  report(imported: number, suppressed = 0): ImportReport {
    return {
      received: this.received,
      imported,
      duplicates: this.duplicatesInUpload + (this.drafts.length - suppressed - imported),
      suppressed,
      invalid: this.invalid,
      errors: this.errors,
      errors_truncated: this.truncated(),
    };
  }

  /** Whether more problems were found than `errors` lists. */
  truncated(): boolean {
    return this.problemCount > this.errors.length;
  }
}

/** Contacts sent as a JSON array, collected like CSV rows (positions are array indexes). */
export function collectJsonContacts(contacts: RawContact[], defaultCountry: string | null, maxRows: number): ContactCollector {
  if (contacts.length > maxRows) {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `${contacts.length} contacts is more than the limit of ${maxRows} (CSV_MAX_ROWS) per request`);
  }
  const collector = new ContactCollector(defaultCountry);
  contacts.forEach((c, index) => collector.add({ index }, c));
  return collector;
}
