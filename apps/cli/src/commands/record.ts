// `wakeplan record --out F.jsonl [--channel C] [--duration S]`: LISTEN on a
// dedicated connection and append one line per notification:
// {"at": ISO, "channel": C, "payload": "…"}. Stops on Ctrl-C or after the duration.
//
// Invariant: the listening connection is packages/db's createListener (the
// worker's kind), which never re-connects by itself, and is ended at the end.
import { createWriteStream } from 'node:fs';
import { SCHEDULER_CHANNEL } from '@wakeplan/contract';
import { createListener } from '@wakeplan/db';
import { sleep } from '@wakeplan/runtime';
import { usageError } from '../cli-error.ts';
import type { CliContext } from '../context.ts';
import { checkChannel } from './notify.ts';

export interface RecordOptions { out?: string; channel?: string; durationS?: number; clock?: () => Date }

export interface RecordedLine { at: string; channel: string; payload: string }

export async function runRecord(ctx: CliContext, options: RecordOptions): Promise<number> {
  if (!options.out) throw usageError('record needs --out F.jsonl');
  const channel = checkChannel(options.channel ?? SCHEDULER_CHANNEL);
  const clock = options.clock ?? (() => new Date());
  const file = createWriteStream(options.out, { flags: 'a' });
  let count = 0;
  await ctx.withDatabase(async ({ listenUrl }) => {
    const listener = createListener({
      url: listenUrl,
      applicationName: 'wakeplan-cli-record',
      onnotify: (ch, payload) => {
        const line: RecordedLine = { at: clock().toISOString(), channel: ch, payload };
        file.write(`${JSON.stringify(line)}\n`);
        count += 1;
      },
    });
    try {
      await listener.unsafe(`listen ${channel}`);
      ctx.err(`recording ${channel} to ${options.out}${options.durationS ? ` for ${options.durationS} s` : ''} (Ctrl-C to stop)`);
      const stops: Promise<unknown>[] = [ctx.interrupted];
      if (options.durationS) stops.push(sleep(options.durationS * 1000));
      await Promise.race(stops);
    } finally {
      await listener.end({ timeout: 2 });
      await new Promise<void>((resolve) => file.end(resolve));
    }
  });
  ctx.out(`recorded ${count} notification${count === 1 ? '' : 's'} to ${options.out}`);
  return count;
}
