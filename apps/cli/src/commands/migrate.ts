// `wakeplan migrate`: apply the forward-only migrations (packages/db).
import { migrate } from '@wakeplan/db';
import type { CliContext } from '../context.ts';

export async function runMigrate(ctx: CliContext): Promise<void> {
  await ctx.withDatabase(async ({ sql }) => {
    const result = await migrate(sql);
    ctx.out(result.applied.length
      ? `applied ${result.applied.join(', ')} (${result.alreadyApplied} already applied)`
      : `database is up to date (${result.alreadyApplied} migrations applied)`);
  });
}
