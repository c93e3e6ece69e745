// `wakeplan replay F.jsonl [--speed N | --no-delay] [--ring]`: re-send recorded
// notifications in order, keeping the recorded spacing divided by N. Malformed
// lines are reported with their line number and skipped.
import { readFileSync } from 'node:fs';
import { sleep } from '@wakeplan/runtime';
import { CliError, usageError } from '../cli-error.ts';
import type { CliContext } from '../context.ts';
import { checkChannel, ringFromCli, sendNotification } from './notify.ts';
import type { RecordedLine } from './record.ts';

export interface ReplayOptions { file?: string; speed?: number; noDelay?: boolean; ring?: boolean; sleep?: (ms: number) => Promise<void> }

export interface ParsedRecording { lines: (RecordedLine & { line: number })[]; problems: string[] }

export function parseRecording(text: string): ParsedRecording {
  const lines: (RecordedLine & { line: number })[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let o: Partial<RecordedLine>;
    try {
      o = JSON.parse(raw) as Partial<RecordedLine>;
    } catch {
      problems.push(`line ${line}: not JSON`);
      return;
    }
    if (typeof o !== 'object' || o === null) return void problems.push(`line ${line}: not a JSON object`);
    if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) return void problems.push(`line ${line}: "at" must be an ISO instant`);
    if (typeof o.channel !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(o.channel)) return void problems.push(`line ${line}: "channel" must be a channel name`);
    if (typeof o.payload !== 'string') return void problems.push(`line ${line}: "payload" must be a string`);
    lines.push({ at: o.at, channel: o.channel, payload: o.payload, line });
  });
  return { lines, problems };
}

export async function runReplay(ctx: CliContext, options: ReplayOptions): Promise<number> {
  if (!options.file) throw usageError('replay needs a file: wakeplan replay F.jsonl');
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw usageError(`--speed must be a positive number, got ${options.speed}`);
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${options.file}: ${(error as Error).message}`);
  }
  const { lines, problems } = parseRecording(text);
  for (const p of problems) ctx.err(`skipped ${p}`);
  const wait = options.sleep ?? sleep;
  await ctx.withDatabase(async ({ sql }) => {
    let previous: number | undefined;
    for (const entry of lines) {
      const at = Date.parse(entry.at);
      if (!options.noDelay && previous !== undefined && at > previous) await wait((at - previous) / speed);
      previous = at;
      await sendNotification(sql, checkChannel(entry.channel), entry.payload);
      ctx.out(`line ${entry.line}: sent on ${entry.channel}: ${entry.payload}`);
      if (options.ring) await ringFromCli(ctx, 'cli replay');
    }
  });
  ctx.out(`replayed ${lines.length} notification${lines.length === 1 ? '' : 's'}${problems.length ? `, skipped ${problems.length} malformed line${problems.length === 1 ? '' : 's'}` : ''}`);
  return lines.length;
}
