// `wakeplan notify`, `record` and `replay` against real Postgres: a recording
// replays the same payloads in the same order, a listener sees them, malformed
// lines are skipped by number, and contract violations are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createListener } from '@wakeplan/db';
import { useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { runNotify } from '../src/commands/notify.ts';
import { runRecord } from '../src/commands/record.ts';
import { parseRecording, runReplay } from '../src/commands/replay.ts';
import { testContext } from './helpers.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'wakeplan-cli-'));
const payload = (kind: string, extra = '') => `{"v":1,"kind":"${kind}"${extra},"at":"2026-03-02T14:00:00.000Z"}`;
const CAMPAIGN = '0b7c3f1e-8a52-4c1d-9d0e-2f6a1b3c4d5e';

async function listen(channel = 'scheduler_changed') {
  const seen: string[] = [];
  const sql = createListener({ url: db.current.url, applicationName: 'cli-test-listener', onnotify: (_c, p) => void seen.push(p) });
  await sql.unsafe(`listen ${channel}`);
  return { seen, end: () => sql.end({ timeout: 1 }) };
}

let server: Server | undefined;
afterEach(() => server?.close());

describe('notify', () => {
  it('sends a contract-valid payload that a listener receives', async () => {
    const listener = await listen();
    const ctx = testContext(() => db.current);
    await runNotify(ctx, { payload: payload('campaign_changed', `,"campaign_id":"${CAMPAIGN}"`) });
    await waitFor(() => listener.seen.length === 1, 'the notification');
    expect(JSON.parse(listener.seen[0]!)).toMatchObject({ kind: 'campaign_changed', campaign_id: CAMPAIGN });
    await listener.end();
  });

  it('refuses bad JSON and contract violations with a clear message, unless --raw', async () => {
    const ctx = testContext(() => db.current);
    await expect(runNotify(ctx, { payload: '{not json' })).rejects.toThrow(/not valid JSON/);
    await expect(runNotify(ctx, { payload: payload('explode') })).rejects.toThrow(/kind must be one of/);
    await expect(runNotify(ctx, { payload: payload('campaign_changed') })).rejects.toThrow(/needs campaign_id/);
    await expect(runNotify(ctx, { payload: '{}', channel: 'Bad-Name' })).rejects.toThrow(/--channel/);
    const listener = await listen();
    await runNotify(ctx, { payload: 'garbage for the worker', raw: true });
    await waitFor(() => listener.seen.length === 1, 'the raw notification');
    expect(listener.seen).toEqual(['garbage for the worker']);
    await listener.end();
  });

  it('--ring rings the doorbell with the wake token', async () => {
    const rings: (string | undefined)[] = [];
    server = createServer((req, res) => { rings.push(req.headers.authorization); res.writeHead(202).end(); });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const ctx = testContext(() => db.current, { workerWakeUrl: `http://127.0.0.1:${port}/wake`, wakeToken: 'secret' });
    await runNotify(ctx, { payload: payload('reload'), ring: true });
    expect(rings).toEqual(['Bearer secret']);
    expect(ctx.stdout).toContain('doorbell rung');
  });
});

describe('record → replay', () => {
  it('replays the recorded payloads in order, and a listener sees the same sequence', async () => {
    const file = join(dir, 'round-trip.jsonl');
    const recorder = testContext(() => db.current);
    const sent = [payload('reload'), payload('call_queued', `,"call_id":"${CAMPAIGN}"`), 'not even json'];
    const recording = runRecord(recorder, { out: file });
    await waitFor(() => recorder.stderr.some((l) => l.startsWith('recording')), 'the recorder to listen');
    for (const p of sent) await db.current.sql`select pg_notify('scheduler_changed', ${p})`;
    await waitFor(() => readFileSync(file, 'utf8').split('\n').filter(Boolean).length === 3, 'three recorded lines');
    recorder.interrupt();
    expect(await recording).toBe(3);

    const listener = await listen();
    const replayer = testContext(() => db.current);
    const delays: number[] = [];
    const count = await runReplay(replayer, { file, speed: 10, sleep: async (ms) => { delays.push(ms); } });
    expect(count).toBe(3);
    await waitFor(() => listener.seen.length === 3, 'three replayed notifications');
    expect(listener.seen).toEqual(sent);
    expect(delays.every((d) => d >= 0)).toBe(true);
    await listener.end();
  });

  it('keeps the recorded spacing divided by --speed, and skips malformed lines by number', async () => {
    const file = join(dir, 'spacing.jsonl');
    writeFileSync(file, [
      JSON.stringify({ at: '2026-03-02T14:00:00.000Z', channel: 'scheduler_changed', payload: payload('reload') }),
      '{oops',
      JSON.stringify({ at: '2026-03-02T14:00:10.000Z', channel: 'scheduler_changed', payload: payload('reload') }),
      JSON.stringify({ at: 'yesterday', channel: 'scheduler_changed', payload: 'x' }),
      '',
      JSON.stringify({ at: '2026-03-02T14:00:30.000Z', channel: 'scheduler_changed', payload: payload('reload') }),
    ].join('\n'));
    const ctx = testContext(() => db.current);
    const delays: number[] = [];
    await runReplay(ctx, { file, speed: 2, sleep: async (ms) => { delays.push(ms); } });
    expect(delays).toEqual([5000, 10000]);
    expect(ctx.stderr).toEqual(['skipped line 2: not JSON', 'skipped line 4: "at" must be an ISO instant']);
    expect(ctx.stdout.at(-1)).toBe('replayed 3 notifications, skipped 2 malformed lines');
    const noDelay: number[] = [];
    await runReplay(testContext(() => db.current), { file, noDelay: true, sleep: async (ms) => { noDelay.push(ms); } });
    expect(noDelay).toEqual([]);
  });

  it('parseRecording reports each kind of malformed line', () => {
    const { lines, problems } = parseRecording('[1]\n{"at":"2026-01-01T00:00:00Z","channel":"BAD","payload":"x"}\n{"at":"2026-01-01T00:00:00Z","channel":"c","payload":1}\n');
    expect(lines).toEqual([]);
    expect(problems).toEqual(['line 1: "at" must be an ISO instant', 'line 2: "channel" must be a channel name', 'line 3: "payload" must be a string']);
  });
});
