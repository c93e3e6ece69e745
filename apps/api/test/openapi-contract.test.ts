// The frontend developer's check: representative requests to every operation —
// successes and each kind of failure — and every answer held against the API
// description the server serves (GET /openapi.json): its status is one the
// operation documents, its body validates (ajv) against the documented schema,
// and the headers the description promises are there (X-Request-Id always,
// Location on 201/202, ETag where conditional GETs apply).
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '@wakeplan/contract';
import { retellSignature, twilioSignature } from '@wakeplan/providers';
import { insertCampaign, insertContacts, markDialing } from '@wakeplan/db/testing';
import { AUTH, campaignBody, json, multipart, phoneNumber, startApi, useTestApi } from './helpers.ts';

const SECRET = 'contract-secret';
const PROVIDERS = { TWILIO_AUTH_TOKEN: 'tw-token', VAPI_WEBHOOK_SECRET: 'vapi-secret', RETELL_API_KEY: 'retell-key', BOLNA_WEBHOOK_TOKEN: 'bolna-token-0123456789', PUBLIC_URL: 'https://api.example.com' };
const { db, api } = useTestApi({ env: { PROVIDER_EVENTS_SECRET: SECRET, BODY_LIMIT_BYTES: '4096', ...PROVIDERS } });
let doc: any;
let ajv: Ajv;
const validators = new Map<string, ValidateFunction>();
const checked: string[] = [];

beforeAll(async () => {
  doc = json(await api.app.inject({ method: 'GET', url: '/openapi.json' }));
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(doc, 'openapi');
});

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Holds one answer against the operation `method path` of the served description. */
function conforms(method: string, path: string, res: LightMyRequestResponse): void {
  const op = doc.paths[path]?.[method.toLowerCase()];
  expect(op, `${method} ${path} is in the description`).toBeDefined();
  const status = String(res.statusCode);
  const key = status in op.responses ? status : `${status[0]}XX` in op.responses ? `${status[0]}XX` : undefined;
  expect(key, `${method} ${path} documents ${status} (${res.body.slice(0, 200)})`).toBeDefined();
  let response = op.responses[key!];
  let location = ['paths', path, method.toLowerCase(), 'responses', key!];
  if (response.$ref) {
    const name = response.$ref.split('/').at(-1);
    response = doc.components.responses[name];
    location = ['components', 'responses', name];
  }
  expect(res.headers['x-request-id'], 'X-Request-Id').toBeDefined();
  if (status === '201' || status === '202') expect(res.headers.location, 'Location').toMatch(/^\/api\//);
  if (response.headers?.ETag && status === '200') expect(res.headers.etag, 'ETag').toBeDefined();
  if (!response.content) {
    expect(res.body).toBe('');
  } else if (!response.content['application/json']) {
    const media = Object.keys(response.content)[0]!;
    expect(res.headers['content-type'], `${method} ${path} ${status} is ${media}`).toMatch(new RegExp(`^${media}`));
  } else {
    const ref = `openapi#/${pointer(...location, 'content', 'application/json', 'schema')}`;
    if (!validators.has(ref)) validators.set(ref, ajv.getSchema(ref)!);
    const validate = validators.get(ref)!;
    expect(validate(json(res)), `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  checked.push(`${method} ${path} ${status}`);
}

async function call(method: string, path: string, url: string, options: { payload?: unknown; headers?: Record<string, string> } = {}) {
  const res = await api.app.inject({ method: method as 'GET', url, headers: { ...AUTH, ...options.headers }, payload: options.payload as string });
  conforms(method, path, res);
  return res;
}

describe('every answer conforms to the served API description', () => {
  it('campaigns', async () => {
    const created = await call('POST', '/api/campaigns', '/api/campaigns', { payload: campaignBody({ contacts: [{ phone: phoneNumber(1) }] }) });
    const id = json(created).data.id as string;
    await call('POST', '/api/campaigns', '/api/campaigns', { payload: campaignBody({ first_call_time: '9am', days_of_week: [0] }) });
    await call('POST', '/api/campaigns', '/api/campaigns', { payload: '{"name":', headers: { 'content-type': 'application/json' } });
    await call('POST', '/api/campaigns', '/api/campaigns', { payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    await call('POST', '/api/campaigns', '/api/campaigns', { payload: campaignBody(), headers: { authorization: 'Bearer wrong' } });
    const list = await call('GET', '/api/campaigns', '/api/campaigns?limit=5');
    await call('GET', '/api/campaigns', '/api/campaigns?limit=5', { headers: { 'if-none-match': list.headers.etag as string } });
    await call('GET', '/api/campaigns', '/api/campaigns?status=sleeping');
    const one = await call('GET', '/api/campaigns/{id}', `/api/campaigns/${id}`);
    await call('GET', '/api/campaigns/{id}', `/api/campaigns/${id}`, { headers: { 'if-none-match': one.headers.etag as string } });
    await call('GET', '/api/campaigns/{id}', '/api/campaigns/not-a-uuid');
    await call('GET', '/api/campaigns/{id}', '/api/campaigns/00000000-0000-4000-8000-000000000000');
    await call('PATCH', '/api/campaigns/{id}', `/api/campaigns/${id}`, { payload: { max_attempts: 4, recipient_calling_hours: { start: '08:00', end: '21:00' } } });
    await call('PATCH', '/api/campaigns/{id}', `/api/campaigns/${id}`, { payload: { end_date: '2026-02-30' } });
    await call('PATCH', '/api/campaigns/{id}', `/api/campaigns/${id}`, { payload: { name: 'x'.repeat(5000) } });
    await call('POST', '/api/campaigns/{id}/contacts', `/api/campaigns/${id}/contacts`, { payload: [{ phone: phoneNumber(2), name: 'Ann' }] });
    await call('POST', '/api/campaigns/{id}/contacts', `/api/campaigns/${id}/contacts?skip_invalid=true`, {
      payload: `phone,name\n${phoneNumber(3)},Bo\nnope,Cy\n`, headers: { 'content-type': 'text/csv' },
    });
    await call('POST', '/api/campaigns/{id}/contacts', `/api/campaigns/${id}/contacts`, { payload: 'phone\nnope\n"open', headers: { 'content-type': 'text/csv' } });
    await call('POST', '/api/campaigns/{id}/contacts', `/api/campaigns/${id}/contacts`, { payload: 'x', headers: { 'content-type': 'text/plain' } });
    for (const action of ['pause', 'resume', 'cancel', 'resume', 'pause']) {
      await call('POST', `/api/campaigns/{id}/${action}`, `/api/campaigns/${id}/${action}`);
    }
    await call('POST', '/api/campaigns/{id}/cancel', '/api/campaigns/12/cancel');
    await call('POST', '/api/campaigns/{id}/contacts', `/api/campaigns/${id}/contacts`, { payload: [{ phone: phoneNumber(4) }] });
  });

  it('the multipart import', async () => {
    const fields: [string, string][] = [['name', 'Form'], ['agent_id', 'a'], ['timezone', 'America/Chicago'], ['first_call_time', '09:00'], ['last_call_time', '17:00'], ['days_of_week', '1'], ['days_of_week', '2']];
    const form = multipart([...fields, ['contacts', `phone\n${phoneNumber(5)}\n`, 'c.csv']]);
    await call('POST', '/api/campaigns/import', '/api/campaigns/import', { payload: form.payload, headers: form.headers });
    const late = multipart([['contacts', `phone\n${phoneNumber(6)}\n`, 'c.csv'], ...fields]);
    await call('POST', '/api/campaigns/import', '/api/campaigns/import', { payload: late.payload, headers: late.headers });
  });

  it('calls', async () => {
    const body = { phone: phoneNumber(7), agent_id: 'a', variables: { plan: 'gold' } };
    const queued = await call('POST', '/api/calls', '/api/calls', { payload: body, headers: { 'idempotency-key': 'k-1' } });
    expect(queued.headers['idempotent-replayed']).toBe('false');
    expect((await call('POST', '/api/calls', '/api/calls', { payload: body, headers: { 'idempotency-key': 'k-1' } })).headers['idempotent-replayed']).toBe('true');
    await call('POST', '/api/calls', '/api/calls', { payload: { ...body, agent_id: 'b' }, headers: { 'idempotency-key': 'k-1' } });
    await call('POST', '/api/calls', '/api/calls', { payload: { phone: '12', agent_id: '' } });
    await call('GET', '/api/calls/{id}', `/api/calls/${json(queued).data.id}`);
    await call('GET', '/api/calls/{id}', '/api/calls/00000000-0000-4000-8000-000000000000');
  });

  it('results', async () => {
    const campaign = await insertCampaign(db.current.sql);
    await insertContacts(db.current.sql, campaign, 3);
    const first = await call('GET', '/api/campaigns/{id}/calls', `/api/campaigns/${campaign}/calls?limit=2&status=queued`);
    await call('GET', '/api/campaigns/{id}/calls', `/api/campaigns/${campaign}/calls?cursor=${json(first).data.next_cursor}`);
    await call('GET', '/api/campaigns/{id}/calls', `/api/campaigns/${campaign}/calls?cursor=nope`);
    await call('GET', '/api/campaigns/{id}/calls', '/api/campaigns/00000000-0000-4000-8000-000000000000/calls');
    await call('GET', '/api/campaigns/{id}/calls.csv', `/api/campaigns/${campaign}/calls.csv?outcome=dnc`);
    await call('GET', '/api/campaigns/{id}/calls.csv', `/api/campaigns/${campaign}/calls.csv?phone=x`);
  });

  it('do-not-call', async () => {
    await call('POST', '/api/dnc', '/api/dnc', { payload: { phones: [phoneNumber(40), phoneNumber(41)], reason: 'asked' } });
    await call('POST', '/api/dnc', '/api/dnc', { payload: { phones: ['nope'] } });
    const csv = { 'content-type': 'text/csv' };
    await call('POST', '/api/dnc/import', '/api/dnc/import', { payload: `phone,reason\n${phoneNumber(42)},by mail\n`, headers: csv });
    await call('POST', '/api/dnc/import', '/api/dnc/import', { payload: 'phone\nnope\n', headers: csv });
    const page = await call('GET', '/api/dnc', '/api/dnc?limit=1');
    await call('GET', '/api/dnc', `/api/dnc?cursor=${json(page).data.next_cursor}`);
    await call('GET', '/api/dnc', '/api/dnc?limit=0');
    await call('DELETE', '/api/dnc/{phone}', `/api/dnc/${encodeURIComponent(phoneNumber(41))}`);
    await call('DELETE', '/api/dnc/{phone}', `/api/dnc/${encodeURIComponent(phoneNumber(41))}`);
    await call('POST', '/api/calls', '/api/calls', { payload: { phone: phoneNumber(40), agent_id: 'a' } });
  });

  it('scheduler, health and provider events', async () => {
    const status = await call('GET', '/api/scheduler/status', '/api/scheduler/status');
    await call('GET', '/api/scheduler/status', '/api/scheduler/status', { headers: { 'if-none-match': status.headers.etag as string } });
    await call('GET', '/api/scheduler/plan', '/api/scheduler/plan?days=3');
    await call('GET', '/api/scheduler/plan', '/api/scheduler/plan?days=99');
    await call('GET', '/api/scheduler/activity', '/api/scheduler/activity?days=7');
    await call('GET', '/api/scheduler/activity', '/api/scheduler/activity?days=36');
    await call('POST', '/api/scheduler/reload', '/api/scheduler/reload');
    await call('GET', '/api/scheduler/status', '/api/scheduler/status', { headers: { authorization: 'Basic eA==' } });
    await call('POST', '/api/scheduler/reload', '/api/scheduler/reload', { headers: { authorization: 'Bearer nope' } });
    conforms('GET', '/health', await api.app.inject({ method: 'GET', url: '/health' }));

    const at = api.clock.now();
    const campaign = await insertCampaign(db.current.sql, { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00' }, at);
    const [callId] = await insertContacts(db.current.sql, campaign, 1, at);
    await markDialing(db.current.sql, [callId!], at, new Date(at.getTime() + 30 * 60_000));
    const event = (id: string) => JSON.stringify({ call_id: id, attempt: 1, status: 'completed', occurred_at: at.toISOString(), duration_seconds: 30 });
    const post = (raw: string, secret = SECRET) => api.app.inject({
      method: 'POST', url: '/api/provider/events', payload: raw, headers: { 'content-type': 'application/json', ...signedHeaders(secret, raw, at) },
    });
    for (const res of [await post(event(callId!)), await post(event(callId!)), await post(event(callId!), 'wrong'),
      await post(event('00000000-0000-4000-8000-000000000009')), await post('{"call_id":"x"}')]) {
      conforms('POST', '/api/provider/events', res);
    }
    await call('GET', '/api/audit/dials', '/api/audit/dials');
    await call('GET', '/api/audit/dials', '/api/audit/dials?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z');
    await call('GET', '/api/audit/dials', '/api/audit/dials?from=yesterday');
  });

  it('webhooks', async () => {
    const created = await call('POST', '/api/webhooks', '/api/webhooks', { payload: { url: 'https://receiver.invalid/hook', events: ['call.completed'] } });
    const id = json(created).data.id as string;
    await call('POST', '/api/webhooks', '/api/webhooks', { payload: { url: 'ftp://example.com/hook', events: ['call.completed'] } });
    await call('GET', '/api/webhooks', '/api/webhooks');
    await call('GET', '/api/webhooks', '/api/webhooks', { headers: { authorization: 'Bearer nope' } });
    await call('GET', '/api/webhooks/{id}', `/api/webhooks/${id}`);
    await call('GET', '/api/webhooks/{id}', '/api/webhooks/00000000-0000-4000-8000-000000000000');
    await call('GET', '/api/webhooks/{id}/deliveries', `/api/webhooks/${id}/deliveries?limit=10`);
    await call('GET', '/api/webhooks/{id}/deliveries', `/api/webhooks/${id}/deliveries?status=lost`);
    await call('DELETE', '/api/webhooks/{id}', `/api/webhooks/${id}`);
    await call('DELETE', '/api/webhooks/{id}', `/api/webhooks/${id}`);
  });

  it("the providers' callbacks", async () => {
    const at = api.clock.now();
    const campaign = await insertCampaign(db.current.sql, { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00' }, at);
    const [a, b, c, d] = await insertContacts(db.current.sql, campaign, 4, at);
    await markDialing(db.current.sql, [a!, b!, c!, d!], at, new Date(at.getTime() + 30 * 60_000));
    await db.current.sql`update call_attempts set provider_call_id = 'exec-9' where call_id = ${d!}`;
    const inject = (url: string, payload: string, headers: Record<string, string>) => api.app.inject({ method: 'POST', url, payload, headers });

    const twilioPath = `/api/provider/twilio/status?call_id=${a}&attempt=1`;
    const form = new URLSearchParams({ CallSid: 'CA9', CallStatus: 'completed' });
    const twilio = (signature: string) => inject(twilioPath, form.toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature });
    conforms('POST', '/api/provider/twilio/status', await twilio(twilioSignature('tw-token', `${PROVIDERS.PUBLIC_URL}${twilioPath}`, form).toString('base64')));
    conforms('POST', '/api/provider/twilio/status', await twilio('bm9wZQ=='));

    const vapi = JSON.stringify({ message: { type: 'end-of-call-report', endedReason: 'customer-busy', call: { id: 'v9', metadata: { wakeplan_call_id: b, wakeplan_attempt: '1' } } } });
    conforms('POST', '/api/provider/vapi', await inject('/api/provider/vapi', vapi, { 'content-type': 'application/json', authorization: 'Bearer vapi-secret' }));
    conforms('POST', '/api/provider/vapi', await inject('/api/provider/vapi', '{"message":{"type":"hang"}}', { 'content-type': 'application/json', authorization: 'Bearer vapi-secret' }));

    const retell = JSON.stringify({ event: 'call_ended', call: { call_id: 'r9', disconnection_reason: 'dial_no_answer', metadata: { wakeplan_call_id: c, wakeplan_attempt: '1' } } });
    const signed = (raw: string) => ({ 'content-type': 'application/json', 'x-retell-signature': `v=${at.getTime()},d=${retellSignature('retell-key', raw, at.getTime())}` });
    conforms('POST', '/api/provider/retell', await inject('/api/provider/retell', retell, signed(retell)));
    conforms('POST', '/api/provider/retell', await inject('/api/provider/retell', retell, { 'content-type': 'application/json' }));

    const bolna = JSON.stringify({ id: 'exec-9', status: 'busy' });
    conforms('POST', '/api/provider/bolna/{token}', await inject(`/api/provider/bolna/${PROVIDERS.BOLNA_WEBHOOK_TOKEN}`, bolna, { 'content-type': 'application/json' }));
    conforms('POST', '/api/provider/bolna/{token}', await inject('/api/provider/bolna/wrong-token', bolna, { 'content-type': 'application/json' }));
    conforms('POST', '/api/provider/bolna/{token}', await inject(`/api/provider/bolna/${PROVIDERS.BOLNA_WEBHOOK_TOKEN}`, '{"id":"exec-0","status":"busy"}', { 'content-type': 'application/json' }));
  });

  it('rate limits', async () => {
    const limited = await startApi(db.current, { RATE_LIMIT_PER_MINUTE: '1' });
    try {
      await limited.app.inject({ method: 'GET', url: '/api/campaigns', headers: AUTH });
      conforms('GET', '/api/campaigns', await limited.app.inject({ method: 'GET', url: '/api/campaigns', headers: AUTH }));
    } finally {
      await limited.close();
    }
  });

  it('covered every operation, and a success and a failure of each', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    for (const op of operations) {
      expect(checked.some((c) => c.startsWith(`${op} 2`)), `a success of ${op}`).toBe(true);
      if (op !== 'GET /health') expect(checked.some((c) => c.startsWith(`${op} 4`)), `a failure of ${op}`).toBe(true);
    }
    expect(new Set(checked.map((c) => c.split(' ')[2]))).toEqual(new Set(['200', '201', '202', '304', '400', '401', '403', '404', '409', '413', '415', '422', '429']));
  });
});

describe('the served description', () => {
  it('names each operation and the shared shapes, and documents each error status with the Error schema', () => {
    for (const [path, ops] of Object.entries(doc.paths) as [string, Record<string, any>][]) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(op.description?.length, `${method} ${path} description`).toBeGreaterThan(20);
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Campaign', 'Call', 'Contact', 'Error', 'Problem', 'SchedulerStatus', 'ImportReport']));
    expect(doc.components.schemas.Problem.required).toEqual(['field', 'message']);
    expect(doc.paths['/api/campaigns/{id}'].get.responses['200'].content['application/json'].schema.properties.data).toEqual({ $ref: '#/components/schemas/Campaign' });
    expect(doc.components.responses.ValidationFailed.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.servers).toEqual([{ url: expect.stringMatching(/^https?:\/\//), description: 'this API' }]);
  });

  it('carries the rules the server enforces, and describes the form a client uploads', () => {
    const create = doc.components.schemas.CampaignCreate.properties;
    expect(create.first_call_time.pattern).toBe('^([01][0-9]|2[0-3]):[0-5][0-9]$');
    expect(create.start_date).toMatchObject({ format: 'date', nullable: true });
    expect(create.days_of_week.items).toMatchObject({ minimum: 1, maximum: 7 });
    expect(create.timezone.pattern).toBeDefined();
    const form = doc.paths['/api/campaigns/import'].post.requestBody.content['multipart/form-data'];
    expect(doc.components.schemas.CampaignImportForm.properties.contacts).toMatchObject({ type: 'string', format: 'binary' });
    expect(form.encoding).toMatchObject({ contacts: { contentType: 'text/csv' }, days_of_week: { style: 'form', explode: true }, recipient_calling_hours: { contentType: 'application/json' } });
    expect(doc.paths['/api/campaigns/import'].post.description).toMatch(/campaign fields first and the CSV file `contacts` last/);
  });
});
