// Maps a parsed command line to one command. Number options are checked here so
// every command gets typed, validated values.
import { usageError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { MAX_AUDIT_DAYS, runAudit } from './commands/audit.ts';
import { runCheck } from './commands/check.ts';
import { runMigrate } from './commands/migrate.ts';
import { runNotify } from './commands/notify.ts';
import { runPlan } from './commands/plan.ts';
import { runRecord } from './commands/record.ts';
import { runReplay } from './commands/replay.ts';
import { runSimulate } from './commands/simulate.ts';
import { runStatus } from './commands/status.ts';

type Values = Record<string, string | boolean | undefined>;

function numberOption(values: Values, name: string, options: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const { min = -Infinity, max = Infinity, integer = false } = options;
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const range = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw usageError(`--${name} must be ${integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got "${String(raw)}"`);
  }
  return n;
}

export async function runCommand(ctx: CliContext, command: string, values: Values, positionals: string[]): Promise<number> {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const flag = (name: string) => values[name] === true;
  switch (command) {
    case 'migrate':
      await runMigrate(ctx);
      return 0;
    case 'notify':
      await runNotify(ctx, { channel: str('channel'), ring: flag('ring'), raw: flag('raw'), payload: positionals[0] });
      return 0;
    case 'record':
      await runRecord(ctx, { out: str('out'), channel: str('channel'), durationS: numberOption(values, 'duration', { min: 0.1 }) });
      return 0;
    case 'replay':
      if (values.speed !== undefined && flag('no-delay')) throw usageError('use either --speed N or --no-delay, not both');
      await runReplay(ctx, { file: positionals[0], speed: numberOption(values, 'speed', { min: 0.0001 }), noDelay: flag('no-delay'), ring: flag('ring') });
      return 0;
    case 'plan':
      await runPlan(ctx, { days: numberOption(values, 'days', { min: 1, max: 31, integer: true }), json: flag('json') });
      return 0;
    case 'status':
      await runStatus(ctx, { json: flag('json') });
      return 0;
    case 'audit': {
      const audit = await runAudit(ctx, { days: numberOption(values, 'days', { min: 0.001, max: MAX_AUDIT_DAYS }), json: flag('json') });
      return audit.violations.length === 0 ? 0 : 1;
    }
    case 'check':
      return runCheck(ctx, { json: flag('json'), graceMinutes: numberOption(values, 'grace', { min: 0, max: 10080 }) });
    case 'simulate':
      await runSimulate(ctx, {
        scenario: str('scenario'), days: numberOption(values, 'days', { min: 0.01, max: 366 }),
        suspendAfterMinutes: numberOption(values, 'suspend-after', { min: 0.1, max: 1440 }),
        cu: numberOption(values, 'cu', { min: 0.25, max: 56 }), json: flag('json'), svg: str('svg'), modes: str('modes'),
      });
      return 0;
    default:
      throw usageError(`unknown command "${command}"`);
  }
}
