// `wakeplan notify [--channel C] [--ring] [--raw] '<json>'`: send one notification
// the way the API does, checked against the NOTIFY contract (DESIGN.md §7) unless
// --raw. A sleeping worker does not LISTEN, so --ring also rings its doorbell.
import { ringDoorbell } from '@wakeplan/api/worker-link';
import { parseNotification, SCHEDULER_CHANNEL } from '@wakeplan/contract';
import type { Queryable } from '@wakeplan/db';
import { CliError, usageError } from '../cli-error.ts';
import type { CliContext } from '../context.ts';

export interface NotifyOptions { channel?: string; ring?: boolean; raw?: boolean; payload?: string }

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkChannel(channel: string): string {
  if (!CHANNEL_NAME.test(channel)) throw usageError(`--channel must be a lower-case identifier, got "${channel}"`);
  return channel;
}

/** Returns the payload to send, or throws a CliError saying what is wrong with it. */
function checkPayload(payload: string | undefined, raw: boolean, channel: string): string {
  if (payload === undefined) throw usageError('notify needs a payload, e.g. \'{"v":1,"kind":"reload","at":"2026-01-01T00:00:00Z"}\'');
  if (raw) return payload;
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new CliError(`payload is not valid JSON: ${(error as Error).message} (use --raw to send it anyway)`, 2);
  }
  if (channel === SCHEDULER_CHANNEL) {
    const parsed = parseNotification(payload);
    if (!parsed.ok) throw new CliError(`payload breaks the ${SCHEDULER_CHANNEL} contract: ${parsed.reason} (use --raw to send it anyway)`, 2);
  }
  return payload;
}

export async function sendNotification(sql: Queryable, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`;
}

export async function ringFromCli(ctx: CliContext, reason: string): Promise<boolean> {
  const result = await ringDoorbell(reason, { url: ctx.config.workerWakeUrl, token: ctx.config.wakeToken, attempts: 3, backoffMs: 200 });
  if (result.ok) return true;
  ctx.err(`doorbell not answered (${result.reason}); a sleeping worker will not see this until its next planned wake`);
  return false;
}

export async function runNotify(ctx: CliContext, options: NotifyOptions): Promise<void> {
  const channel = checkChannel(options.channel ?? SCHEDULER_CHANNEL);
  const payload = checkPayload(options.payload, options.raw ?? false, channel);
  await ctx.withDatabase(({ sql }) => sendNotification(sql, channel, payload));
  ctx.out(`sent on ${channel}: ${payload}`);
  // A reload rings as one: a sleeping worker did not hear the NOTIFY, and reads its whole plan.
  const reload = channel === SCHEDULER_CHANNEL && parseNotification(payload).ok && (JSON.parse(payload) as { kind?: string }).kind === 'reload';
  if (options.ring && (await ringFromCli(ctx, reload ? 'reload' : 'cli notify'))) ctx.out('doorbell rung');
}
