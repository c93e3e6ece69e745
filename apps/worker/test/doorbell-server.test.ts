// The doorbell server: answers from the first moment (a ring before the worker is
// attached is passed on), 401 without the right bearer token, 202 at once with
// it, bursts coalesce into one wake, /health from memory.
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '@wakeplan/runtime';
import { DoorbellServer } from '../src/doorbell-server.ts';

let server: DoorbellServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(token: string | undefined) {
  server = new DoorbellServer({ port: 0, wakeToken: token, host: '127.0.0.1' });
  const port = await server.listen();
  const base = `http://127.0.0.1:${port}`;
  const post = async (authorization?: string) => {
    const res = await fetch(`${base}/wake`, { method: 'POST', headers: authorization ? { authorization } : {}, body: '{"reason":"x"}' });
    return { status: res.status, body: await res.json() as unknown };
  };
  return { base, post };
}

describe('DoorbellServer', () => {
  it('checks the token and answers 202 at once (the worker coalesces the wakes: worker-wake.test.ts)', async () => {
    const { post } = await start('secret-token');
    let wakes = 0;
    server!.attach({ wake: () => void wakes++, health: () => ({ state: 'asleep' }) });
    expect((await post()).status).toBe(401);
    expect((await post('Bearer wrong')).status).toBe(401);
    expect((await post('Basic c2VjcmV0LXRva2Vu')).status).toBe(401);
    expect(wakes).toBe(0);
    const burst = await Promise.all(Array.from({ length: 20 }, () => post('Bearer secret-token')));
    expect(burst.every((r) => r.status === 202)).toBe(true);
    await sleep(20);
    expect(wakes).toBeGreaterThanOrEqual(1);
    expect(wakes).toBeLessThanOrEqual(20);
  });

  it('passes on a ring that came before the worker was attached, and reports health from memory', async () => {
    const { base, post } = await start('t');
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', state: 'starting' });
    expect((await post('Bearer t')).status).toBe(202);
    let wakes = 0;
    server!.attach({ wake: () => void wakes++, health: () => ({ status: 'ok', state: 'waiting', nextWakeAt: null }) });
    expect(wakes).toBe(1);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', state: 'waiting', nextWakeAt: null });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/wake`)).status).toBe(404);
  });

  it('hands the wake the ids of the API requests that rang (body request_ids, else X-Request-Id), coalesced', async () => {
    const { base } = await start('t');
    const woken: string[][] = [];
    server!.attach({ wake: (ids) => void woken.push(ids), health: () => ({}) });
    const ring = (headers: Record<string, string>, body: string) => fetch(`${base}/wake`, { method: 'POST', headers: { authorization: 'Bearer t', ...headers }, body });
    expect((await ring({}, JSON.stringify({ reason: 'campaign_changed', request_ids: ['req-1', 'not sane', 'req-2'] }))).status).toBe(202);
    await sleep(20);
    expect((await ring({ 'x-request-id': 'req-3' }, '{"reason":"reload"}')).status).toBe(202);
    await sleep(20);
    expect((await ring({}, 'not json')).status).toBe(202);
    await sleep(20);
    expect(woken).toEqual([['req-1', 'req-2'], ['req-3'], []]);
  });

  it('passes a reload ring on as a reload (a sleeping worker did not hear the NOTIFY reload): resync', async () => {
    const { base } = await start('t');
    const woken: boolean[] = [];
    server!.attach({ wake: (_ids, reload) => void woken.push(reload), health: () => ({}) });
    const ring = (body: string) => fetch(`${base}/wake`, { method: 'POST', headers: { authorization: 'Bearer t' }, body });
    expect((await ring('{"reason":"campaign_changed"}')).status).toBe(202);
    await sleep(20);
    expect((await ring('{"reason":"reload"}')).status).toBe(202);
    await sleep(20);
    expect(woken).toEqual([false, true]);
  });

  it('refuses every ring when no token is configured', async () => {
    const { post } = await start(undefined);
    expect((await post('Bearer ')).status).toBe(401);
    expect((await post('Bearer undefined')).status).toBe(401);
  });

  it('binds to :: by default (dual stack), reachable over IPv4', async () => {
    server = new DoorbellServer({ port: 0, wakeToken: 't' });
    const port = await server.listen();
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});
