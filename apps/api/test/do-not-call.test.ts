// The do-not-call list over HTTP: listing numbers (E.164 comparison, national
// numbers with default_country, all-or-nothing) ends their queued calls at once;
// paging, removal and CSV import; imports leave listed numbers out and report
// them as `suppressed`; a direct call to a listed number is a 409 ON_DNC_LIST.
import { describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, insertDirectCall, markDialing, OPEN } from '@wakeplan/db/testing';
import { AUTH, campaignBody, json, multipart, phoneNumber, T0, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls', 'call_attempts', 'do_not_call'] });

const addDnc = (payload: object) => api.app.inject({ method: 'POST', url: '/api/dnc', headers: AUTH, payload });
const listedPhones = async () => (await db.current.sql<{ phone: string }[]>`select phone from do_not_call order by phone`).map((r) => r.phone);
const importDnc = (csv: string, query = '') => api.app.inject({
  method: 'POST', url: `/api/dnc/import${query}`, headers: { ...AUTH, 'content-type': 'text/csv' }, payload: csv,
});

async function phoneOf(id: string): Promise<string> {
  const [row] = await db.current.sql<{ phone: string }[]>`select phone from calls where id = ${id}`;
  return row!.phone;
}

describe('POST /api/dnc', () => {
  it('lists numbers in E.164 and ends their queued calls (campaign and direct) as cancelled with last_outcome dnc', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const [queued, inFlight] = await insertContacts(sql, campaignId, 2);
    await markDialing(sql, [inFlight!], OPEN, new Date(OPEN.getTime() + 1_800_000));
    const direct = await insertDirectCall(sql);
    const phones = [await phoneOf(queued!), await phoneOf(inFlight!), await phoneOf(direct)];
    const res = await addDnc({ phones: [phones[0], phones[1], phones[2], phones[0]], reason: 'asked on the phone' });
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toEqual({ received: 4, added: 3, already_listed: 0, cancelled_calls: 2 });
    const rows = await sql<{ id: string; status: string; last_outcome: string | null }[]>`select id, status, last_outcome from calls`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(queued!)).toMatchObject({ status: 'cancelled', last_outcome: 'dnc' });
    expect(byId.get(direct)).toMatchObject({ status: 'cancelled', last_outcome: 'dnc' });
    expect(byId.get(inFlight!)).toMatchObject({ status: 'dialing' }); // a live call is not hung up on; the claim stops any retry
    const again = await addDnc({ phones: [phones[0]] });
    expect(json(again).data).toEqual({ received: 1, added: 0, already_listed: 1, cancelled_calls: 0 });
    const results = json(await api.app.inject({ method: 'GET', url: `/api/campaigns/${campaignId}/calls?outcome=dnc`, headers: AUTH })).data;
    expect(results.calls.map((c: { id: string }) => c.id)).toEqual([queued]);
  });

  it('completes a campaign whose last queued contact is listed', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const [only] = await insertContacts(sql, campaignId, 1);
    await addDnc({ phones: [await phoneOf(only!)] });
    const [campaign] = await sql<{ status: string }[]>`select status from campaigns where id = ${campaignId}`;
    expect(campaign!.status).toBe('completed');
  });

  it('compares in E.164: a national number with default_country is the same number', async () => {
    const res = await addDnc({ phones: ['(212) 200-0001'], default_country: 'US' });
    expect(json(res).data.added).toBe(1);
    expect(await listedPhones()).toEqual([phoneNumber(1)]);
    expect(json(await addDnc({ phones: [phoneNumber(1)] })).data).toMatchObject({ added: 0, already_listed: 1 });
  });

  it('refuses any invalid number with a 422 naming it, listing nothing', async () => {
    const res = await addDnc({ phones: [phoneNumber(1), 'call me', '212 200 0003'] });
    expect(res.statusCode).toBe(422);
    expect(json(res).error.details.map((d: { field: string }) => d.field)).toEqual(['phones[1]', 'phones[2]']);
    expect(await listedPhones()).toEqual([]);
  });
});

describe('GET /api/dnc and DELETE /api/dnc/:phone', () => {
  it('pages through the list by phone, filters by prefix, and removes a number', async () => {
    await addDnc({ phones: [1, 2, 3, 4, 5].map(phoneNumber), reason: 'r' });
    await addDnc({ phones: ['+442079460000'] });
    const first = json(await api.app.inject({ method: 'GET', url: '/api/dnc?limit=4', headers: AUTH })).data;
    expect(first.entries.map((e: { phone: string }) => e.phone)).toEqual([1, 2, 3, 4].map(phoneNumber));
    expect(first.entries[0]).toEqual({ phone: phoneNumber(1), reason: 'r', source: 'api', created_at: T0.toISOString() });
    const second = json(await api.app.inject({ method: 'GET', url: `/api/dnc?limit=4&cursor=${first.next_cursor}`, headers: AUTH })).data;
    expect(second.entries.map((e: { phone: string }) => e.phone)).toEqual([phoneNumber(5), '+442079460000'].sort());
    expect(second.next_cursor).toBeNull();
    const uk = json(await api.app.inject({ method: 'GET', url: '/api/dnc?phone=44', headers: AUTH })).data;
    expect(uk.entries.map((e: { phone: string }) => e.phone)).toEqual(['+442079460000']);

    const removed = await api.app.inject({ method: 'DELETE', url: `/api/dnc/${encodeURIComponent(phoneNumber(2))}`, headers: AUTH });
    expect(removed.statusCode).toBe(200);
    expect(json(removed).data.phone).toBe(phoneNumber(2));
    const digitsOnly = await api.app.inject({ method: 'DELETE', url: `/api/dnc/${phoneNumber(3).slice(1)}`, headers: AUTH });
    expect(digitsOnly.statusCode).toBe(200);
    const missing = await api.app.inject({ method: 'DELETE', url: `/api/dnc/${encodeURIComponent(phoneNumber(2))}`, headers: AUTH });
    expect(missing.statusCode).toBe(404);
    const garbage = await api.app.inject({ method: 'DELETE', url: '/api/dnc/nope', headers: AUTH });
    expect(garbage.statusCode).toBe(422);
    expect(json(garbage).error.details[0].field).toBe('phone');
    expect(await listedPhones()).toEqual([phoneNumber(1), phoneNumber(4), phoneNumber(5), '+442079460000'].sort());
  });
});

describe('POST /api/dnc/import', () => {
  it('lists the numbers of a CSV file with their reasons, all-or-nothing unless skip_invalid', async () => {
    const csv = `phone,reason\n${phoneNumber(1)},asked by email\n(212) 200-0002,\n${phoneNumber(1)},again\n`;
    const res = await importDnc(csv, '?default_country=US&reason=bulk');
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toEqual({
      received: 3, added: 2, already_listed: 0, duplicates: 1, invalid: 0, errors: [], errors_truncated: false, cancelled_calls: 0,
    });
    const rows = await db.current.sql`select phone, reason, source from do_not_call order by phone`;
    expect(rows).toEqual([
      { phone: phoneNumber(1), reason: 'asked by email', source: 'import' },
      { phone: phoneNumber(2), reason: 'bulk', source: 'import' },
    ]);
    const bad = await importDnc(`phone\n${phoneNumber(3)}\nnot a number\n`);
    expect(bad.statusCode).toBe(422);
    expect(json(bad).error.details).toEqual([expect.objectContaining({ line: 3 })]);
    expect(await listedPhones()).toEqual([phoneNumber(1), phoneNumber(2)]);
    const skipped = await importDnc(`phone\n${phoneNumber(3)}\nnot a number\n`, '?skip_invalid=true');
    expect(json(skipped).data).toMatchObject({ added: 1, invalid: 1 });
  });

  it('answers 415 for a body that is not CSV', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/dnc/import', headers: AUTH, payload: { phones: [] } });
    expect(res.statusCode).toBe(415);
  });
});

describe('imports and direct calls', () => {
  it('leaves listed numbers out of a new campaign and reports them as suppressed', async () => {
    await addDnc({ phones: [phoneNumber(2)] });
    const res = await api.app.inject({
      method: 'POST', url: '/api/campaigns', headers: AUTH,
      payload: campaignBody({ contacts: [{ phone: phoneNumber(1) }, { phone: phoneNumber(2) }, { phone: phoneNumber(1) }] }),
    });
    expect(res.statusCode).toBe(201);
    expect(json(res).data.import).toMatchObject({ received: 3, imported: 1, duplicates: 1, suppressed: 1, invalid: 0 });
    const phones = await db.current.sql<{ phone: string }[]>`select phone from calls`;
    expect(phones.map((r) => r.phone)).toEqual([phoneNumber(1)]);
  });

  it('leaves listed numbers out of appended CSV contacts and a multipart import', async () => {
    await addDnc({ phones: [phoneNumber(2), phoneNumber(3)] });
    const campaignId = await insertCampaign(db.current.sql);
    const appended = await api.app.inject({
      method: 'POST', url: `/api/campaigns/${campaignId}/contacts`, headers: { ...AUTH, 'content-type': 'text/csv' },
      payload: `phone\n${phoneNumber(1)}\n${phoneNumber(2)}\n`,
    });
    expect(json(appended).data).toMatchObject({ imported: 1, duplicates: 0, suppressed: 1 });
    const form = multipart([
      ...Object.entries(campaignBody()).map(([k, v]) => [k, String(v)] as [string, string]),
      ['contacts', `phone\n${phoneNumber(3)}\n${phoneNumber(4)}\n`, 'c.csv'],
    ]);
    const imported = await api.app.inject({ method: 'POST', url: '/api/campaigns/import', payload: form.payload, headers: form.headers });
    expect(imported.statusCode).toBe(201);
    expect(json(imported).data.import).toMatchObject({ imported: 1, suppressed: 1 });
  });

  it('refuses a direct call to a listed number with 409 ON_DNC_LIST, writing nothing', async () => {
    await addDnc({ phones: [phoneNumber(1)] });
    const res = await api.app.inject({ method: 'POST', url: '/api/calls', headers: AUTH, payload: { phone: '212-200-0001', default_country: 'US', agent_id: 'a' } });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('ON_DNC_LIST');
    const [count] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from calls`;
    expect(count!.n).toBe(0);
  });
});
