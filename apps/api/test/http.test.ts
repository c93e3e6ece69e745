// A few requests over real HTTP (listening on 127.0.0.1, port 0), where the
// body arrives in chunks from a socket: a multipart upload built by fetch's
// FormData, a streamed text/csv body, auth, and an early 413.
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTH, phoneNumber, useTestApi } from './helpers.ts';

const { api } = useTestApi({ env: { CSV_MAX_BYTES: '100000' } });
let base: string;
beforeAll(async () => {
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});

function csvRows(n: number): string {
  return `phone,name\n${Array.from({ length: n }, (_, i) => `${phoneNumber(i)},Contact ${i}`).join('\n')}\n`;
}

describe('over HTTP', () => {
  it('serves /health without a token and refuses the API without one', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const res = await fetch(`${base}/api/campaigns`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('imports a multipart form sent by fetch', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: 'Over HTTP', agent_id: 'a', timezone: 'America/New_York', first_call_time: '09:00', last_call_time: '17:00', days_of_week: '1,2,3,4,5' })) form.append(k, v);
    form.append('contacts', new Blob([csvRows(500)], { type: 'text/csv' }), 'contacts.csv');
    const res = await fetch(`${base}/api/campaigns/import`, { method: 'POST', headers: AUTH, body: form });
    expect(res.status).toBe(201);
    const { data } = await res.json() as { data: { id: string; days_of_week: number[]; import: { imported: number } } };
    expect(data.days_of_week).toEqual([1, 2, 3, 4, 5]);
    expect(data.import.imported).toBe(500);
  });

  it('appends a CSV body streamed in chunks', async () => {
    const created = await fetch(`${base}/api/campaigns`, {
      method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'stream', agent_id: 'a', timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00' }),
    });
    const { data: campaign } = await created.json() as { data: { id: string } };
    const text = new TextEncoder().encode(csvRows(300));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < text.length; i += 997) controller.enqueue(text.subarray(i, i + 997));
        controller.close();
      },
    });
    const res = await fetch(`${base}/api/campaigns/${campaign.id}/contacts`, {
      method: 'POST', headers: { ...AUTH, 'content-type': 'text/csv' }, body, duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { received: 300, imported: 300 } });
  });

  it('refuses a declared oversize CSV with 413 before reading it', async () => {
    const created = await fetch(`${base}/api/campaigns`, {
      method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', agent_id: 'a', timezone: 'UTC', first_call_time: '09:00', last_call_time: '17:00' }),
    });
    const { data: campaign } = await created.json() as { data: { id: string } };
    const res = await fetch(`${base}/api/campaigns/${campaign.id}/contacts`, {
      method: 'POST', headers: { ...AUTH, 'content-type': 'text/csv' }, body: csvRows(5000),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
