// The results export as a stream of CSV text: a UTF-8 byte order mark (so
// spreadsheets read names in any script), the header row, then one row per
// contact, produced batch by batch as the database cursor yields them.
//
// Invariants: the columns are the JSON CallResult's fields, in its order, under
// the same names; at most one cursor batch is in memory at a time — the
// generator is pulled by the response stream, so a slow client slows the cursor
// instead of filling memory.
import type { CallResultRow } from '../repositories/call-results.ts';
import type { CallResult } from '../schemas/results.ts';
import { csvRow } from './csv-cells.ts';
import type { ResultPresenter } from './present-result.ts';

const COLUMNS = [
  'id', 'phone', 'name', 'timezone', 'status', 'attempts', 'last_outcome', 'not_before', 'next_attempt_at',
  'next_attempt_local', 'provider_call_id', 'duration_seconds', 'ended_reason', 'recording_url', 'transcript', 'created_at', 'updated_at',
] as const satisfies readonly (keyof CallResult)[];

const BOM = '\uFEFF';

export async function* resultsCsv(batches: AsyncIterable<CallResultRow[]>, present: ResultPresenter): AsyncGenerator<string> {
  yield BOM + csvRow([...COLUMNS]);
  for await (const batch of batches) {
    let chunk = '';
    for (const row of batch) {
      const result = present(row);
      chunk += csvRow(COLUMNS.map((c) => result[c]));
    }
    yield chunk;
  }
}

/** `campaign-<name>-calls.csv`, reduced to characters every file system and header accepts. */
export function exportFilename(campaignName: string): string {
  const slug = campaignName.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).toLowerCase();
  return `campaign-${slug || 'export'}-calls.csv`;
}
