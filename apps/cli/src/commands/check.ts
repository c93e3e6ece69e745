// `wakeplan check [--json] [--grace MIN]`: the database check of
// packages/db consistency-check.ts — every contact terminal or pending with a
// known next due time, no active campaign with nothing pending, no two live
// attempts for one contact. Prints one line per violation and exits 1 when
// there is any (0 and "ok" otherwise), so a cron job or CI step can run it.
import { checkConsistency, type Violation } from '@wakeplan/db';
import type { CliContext } from '../context.ts';

export async function runCheck(ctx: CliContext, o: { json?: boolean; graceMinutes?: number; now?: Date }): Promise<number> {
  const at = o.now ?? new Date();
  const violations = await ctx.withDatabase(({ sql }) => checkConsistency(sql, at, { overdueGraceMinutes: o.graceMinutes }));
  if (o.json) {
    ctx.out(JSON.stringify({ at: at.toISOString(), ok: violations.length === 0, violations }));
  } else if (violations.length === 0) {
    ctx.out(`ok: every contact is terminal or pending with a known due time (${at.toISOString()})`);
  } else {
    ctx.err(`${violations.length} violation${violations.length === 1 ? '' : 's'} (${at.toISOString()}):`);
    for (const v of violations) ctx.err(`  ${describe(v)}`);
  }
  return violations.length === 0 ? 0 : 1;
}

function describe(v: Violation): string {
  const where = [v.campaignId && `campaign ${v.campaignId}`, v.callId && `call ${v.callId}`].filter(Boolean).join(' ');
  return `${v.kind}: ${where}: ${v.detail}`;
}
