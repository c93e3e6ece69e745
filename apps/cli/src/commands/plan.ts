// `wakeplan plan [--days N] [--json]`: the coming wakes and each campaign's open
// windows, from the database, computed with schedule-core by the same function as
// GET /api/scheduler/plan (apps/api scheduler/plan-preview.ts).
import { MAX_PREVIEW_DAYS, previewPlan, type PlanPreview } from '@wakeplan/api/scheduler';
import { usageError } from '../cli-error.ts';
import type { CliContext } from '../context.ts';

export async function runPlan(ctx: CliContext, o: { days?: number; json?: boolean; now?: Date }): Promise<PlanPreview> {
  const days = o.days ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > MAX_PREVIEW_DAYS) throw usageError(`--days must be a whole number from 1 to ${MAX_PREVIEW_DAYS}, got ${days}`);
  const plan = await ctx.withDatabase(({ sql }) => previewPlan(sql, o.now ?? new Date(), days));
  if (o.json) {
    ctx.out(JSON.stringify(plan));
    return plan;
  }
  ctx.out(`plan from ${plan.from} to ${plan.to}`);
  ctx.out(plan.next_wake ? `next wake ${plan.next_wake.at} (${plan.next_wake.reason})` : 'no wake planned: nothing is pending');
  for (const c of plan.campaigns) {
    ctx.out(`${c.name} [${c.window} ${c.timezone}]: ${c.queued_count} queued, ${c.in_flight} in flight`);
    for (const w of c.open_windows) ctx.out(`  open ${w.start} – ${w.end}`);
  }
  if (plan.direct_calls.queued > 0) ctx.out(`direct calls: ${plan.direct_calls.queued} queued, earliest due ${plan.direct_calls.earliest_due_at}`);
  ctx.out(`${plan.wakes.length} planned wake${plan.wakes.length === 1 ? '' : 's'}${plan.wakes_truncated ? ' (list truncated)' : ''}`);
  for (const w of plan.wakes) ctx.out(`  ${w.at} ${w.reason}${w.campaign_id ? ` ${w.campaign_id}` : ''}`);
  return plan;
}
