// The scale benchmark's plan-read figures: the wall time of readPlanSnapshot in
// this process (database, transfer and parsing) and the database's own share,
// the execution time EXPLAIN (ANALYZE, TIMING OFF) reports for the very
// statement readPlanSnapshot sent (caught through the client's debug hook), with
// JIT off as the read has it. Medians of `runs`.
//
// Invariants: reads only; its own pool of one connection, ended before returning.
import { createSql, readPlanSnapshot } from '@wakeplan/db';

export interface PlanReadFigures {
  wallMs: number;
  databaseMs: number;
  campaigns: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function measurePlanRead(url: string, runs = 3): Promise<PlanReadFigures> {
  let statement: { query: string; parameters: unknown[] } | null = null;
  let catching = true;
  const sql = createSql({
    url, applicationName: 'scale-bench-plan-read', idleTimeoutS: 5, max: 1,
    debug: (_connection, query, parameters) => {
      if (catching && (!statement || query.length > statement.query.length)) statement = { query, parameters };
    },
  });
  try {
    const walls: number[] = [];
    let campaigns = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      campaigns = (await readPlanSnapshot(sql)).campaigns.length;
      walls.push(performance.now() - started);
    }
    catching = false;
    const caught = statement as { query: string; parameters: unknown[] } | null;
    if (!caught) throw new Error('readPlanSnapshot sent no statement');
    const database: number[] = [];
    for (let i = 0; i < runs; i++) {
      const rows = await sql.begin(async (tx) => {
        await tx`set local jit = off`;
        return tx.unsafe<{ 'QUERY PLAN': [{ 'Execution Time': number }] }[]>(
          `explain (analyze, timing off, format json) ${caught.query}`, caught.parameters as never[]);
      });
      database.push(rows[0]!['QUERY PLAN'][0]['Execution Time']);
    }
    return { wallMs: median(walls), databaseMs: median(database), campaigns };
  } finally {
    await sql.end({ timeout: 2 });
  }
}
