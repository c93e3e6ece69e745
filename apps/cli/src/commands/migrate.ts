// `wakeplan migrate` (also `npm run migrate`, Railway's pre-deploy command):
// apply the forward-only migrations (packages/db migrate.ts).
import { describeMigration, migrate } from '@wakeplan/db';
import type { CliContext } from '../context.ts';

export async function runMigrate(ctx: CliContext): Promise<void> {
  await ctx.withDatabase(async ({ sql }) => {
    ctx.out(describeMigration(await migrate(sql)));
  });
}
