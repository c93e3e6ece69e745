// @wakeplan/providers/testing: local HTTP servers that implement each provider's documented create and
// lookup endpoints (PROVIDERS.md, the official SDKs' request shapes), so the
// dialers run against real HTTP. A server keeps the calls it created; `mode`
// makes the next creates answer as a provider can: normally, after the client
// gave up (`hang`: the call IS created), 500, 429, a concurrency answer, 400.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderKind = 'twilio' | 'vapi' | 'retell' | 'bolna';
type CreateMode = 'ok' | 'hang' | '500' | '429' | 'concurrency' | '400';

interface ReceivedRequest { method: string; path: string; headers: IncomingMessage['headers']; body: string }
interface FakeCall { id: string; to: string; createdAt: Date; key: string | null; body: Record<string, unknown> }

export interface FakeProvider {
  url: string;
  mode: CreateMode;
  requests: ReceivedRequest[];
  calls: FakeCall[];
  creates(): ReceivedRequest[];
  close(): Promise<void>;
}

const HANG_MS = 400;

export async function startFakeProvider(kind: ProviderKind): Promise<FakeProvider> {
  const fake: FakeProvider = {
    url: '', mode: 'ok', requests: [], calls: [], close: async () => {},
    creates: () => fake.requests.filter((r) => r.method === 'POST' && isCreate(kind, r.path)),
  };
  let seq = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const received = { method: req.method ?? '', path: url.pathname, headers: req.headers, body };
      fake.requests.push(received);
      if (req.method === 'POST' && isCreate(kind, url.pathname)) return void answerCreate(res, () => createCall(kind, body, ++seq));
      const listed = list(kind, fake.calls, url, body);
      if (listed === null) return void send(res, 404, { message: 'no such route' });
      send(res, 200, listed);
    });
  });

  function answerCreate(res: ServerResponse, create: () => { call: FakeCall; status: number; answer: unknown }) {
    switch (fake.mode) {
      case '500': return void send(res, 500, { message: 'internal error' });
      case '429': return void send(res, 429, { message: 'Too Many Requests' }, { 'retry-after': '3' });
      case 'concurrency': return void send(res, 400, { message: 'Concurrency limit reached for this account' });
      case '400': return void send(res, 400, { message: 'invalid destination number' });
      default: {
        const { call, status, answer } = create();
        fake.calls.push(call);
        if (fake.mode === 'hang') setTimeout(() => send(res, status, answer), HANG_MS);
        else send(res, status, answer);
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}

function isCreate(kind: ProviderKind, path: string): boolean {
  if (kind === 'twilio') return /^\/2010-04-01\/Accounts\/[^/]+\/Calls\.json$/.test(path);
  if (kind === 'retell') return path === '/v2/create-phone-call';
  return path === '/call';
}

function createCall(kind: ProviderKind, raw: string, seq: number): { call: FakeCall; status: number; answer: unknown } {
  const createdAt = new Date();
  if (kind === 'twilio') {
    const form = new URLSearchParams(raw);
    const sid = `CA${String(seq).padStart(32, '0')}`;
    const call = { id: sid, to: form.get('To') ?? '', createdAt, key: form.get('StatusCallback'), body: Object.fromEntries(form) };
    return { call, status: 201, answer: twilioCall(call, form.get('From') ?? '') };
  }
  const body = JSON.parse(raw) as Record<string, any>;
  if (kind === 'vapi') {
    const call = { id: `vapi-${seq}`, to: body.customer?.number, createdAt, key: body.assistantOverrides?.metadata?.wakeplan_key ?? null, body };
    return { call, status: 201, answer: vapiCall(call) };
  }
  if (kind === 'retell') {
    const call = { id: `call_${seq}`, to: body.to_number, createdAt, key: body.metadata?.wakeplan_key ?? null, body };
    return { call, status: 201, answer: { call_id: call.id, call_status: 'registered', metadata: body.metadata } };
  }
  const call = { id: `exec-${seq}`, to: body.recipient_phone_number, createdAt, key: body.user_data?.wakeplan_key ?? null, body };
  return { call, status: 200, answer: { message: 'done', status: 'queued', execution_id: call.id } };
}

function list(kind: ProviderKind, calls: FakeCall[], url: URL, raw: string): unknown {
  if (kind === 'twilio' && url.pathname.endsWith('/Calls.json')) {
    const to = url.searchParams.get('To');
    return { calls: calls.filter((c) => c.to === to && c.body.From === url.searchParams.get('From')).map((c) => twilioCall(c, String(c.body.From))) };
  }
  if (kind === 'vapi' && url.pathname === '/call') {
    const after = Date.parse(url.searchParams.get('createdAtGt') ?? '');
    return calls.filter((c) => c.createdAt.getTime() > after).map(vapiCall);
  }
  if (kind === 'retell' && url.pathname === '/v3/list-calls') {
    const filter = (JSON.parse(raw) as { filter_criteria?: { metadata?: { key: string; op: string; value: string }[] } }).filter_criteria?.metadata ?? [];
    const items = calls.filter((c) => filter.every((f) => f.op === 'eq' && (c.body.metadata as Record<string, unknown>)?.[f.key] === f.value));
    return { items: items.map((c) => ({ call_id: c.id, call_status: 'ongoing', metadata: c.body.metadata })), has_more: false };
  }
  if (kind === 'bolna' && /^\/v2\/agent\/[^/]+\/executions$/.test(url.pathname)) {
    return {
      data: calls.map((c) => ({
        id: c.id, status: 'in-progress', created_at: c.createdAt.toISOString(), telephony_data: { to_number: c.to },
        context_details: { recipient_data: c.body.user_data, recipient_phone_number: c.to },
      })),
      has_more: false,
    };
  }
  return null;
}

function twilioCall(c: FakeCall, from: string) {
  return { sid: c.id, to: c.to, from, status: 'queued', date_created: c.createdAt.toUTCString(), start_time: null };
}

function vapiCall(c: FakeCall) {
  return { id: c.id, status: 'queued', createdAt: c.createdAt.toISOString(), assistantOverrides: c.body.assistantOverrides, customer: c.body.customer };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
