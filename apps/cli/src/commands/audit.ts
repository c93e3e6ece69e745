// `wakeplan audit [--days N] [--json]`: every dial of the last N days (default 1)
// that left outside its campaign window, outside the recipient's calling hours,
// while its campaign was not active, or as a second live attempt for one
// contact — from what the database recorded when each request left (packages/db
// dial-audit.ts, the same function as GET /api/audit/dials). Exits 1 when it
// finds any, so a daily cron job fails loudly; an empty audit exits 0.
import { auditDials, type DialAudit } from '@wakeplan/db';
import { usageError } from '../cli-error.ts';
import type { CliContext } from '../context.ts';

export const MAX_AUDIT_DAYS = 366;

export async function runAudit(ctx: CliContext, o: { days?: number; json?: boolean; now?: Date }): Promise<DialAudit> {
  const days = o.days ?? 1;
  if (!(days > 0 && days <= MAX_AUDIT_DAYS)) throw usageError(`--days must be more than 0 and at most ${MAX_AUDIT_DAYS}, got ${days}`);
  const to = o.now ?? new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const audit = await ctx.withDatabase(({ sql }) => auditDials(sql, from, to));
  if (o.json) {
    ctx.out(JSON.stringify(audit));
    return audit;
  }
  ctx.out(`dials from ${audit.from} to ${audit.to}: ${audit.dials_checked} checked, ${audit.violations.length} against the dial rule`);
  for (const v of audit.violations) {
    const other = v.overlapping_attempt === null ? '' : ` (attempt ${v.overlapping_attempt} still live)`;
    ctx.out(`  ${v.sent_at} call ${v.call_id} attempt ${v.attempt} send ${v.send_no}${v.campaign_id ? ` campaign ${v.campaign_id}` : ''}: ${v.violations.join(', ')}${other}`);
  }
  return audit;
}
