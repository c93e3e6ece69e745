// The scale benchmark's provider: a local HTTP receiver of the webhook dialer's
// POSTs (DESIGN.md §6). It answers 200 with a provider call id at once, records
// when each dial request arrived, per campaign, and can post a signed outcome
// to the API's provider events route, exactly as a provider would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedHeaders } from '@wakeplan/contract';

export interface ReceivedDial {
  callId: string;
  attempt: number;
  campaignId: string | null;
  at: number;
}

export class FakeProvider {
  readonly dials: ReceivedDial[] = [];
  private readonly waiters: { match: (d: ReceivedDial) => boolean; resolve: (d: ReceivedDial) => void }[] = [];
  private readonly server: Server;

  constructor(private readonly eventsUrl: string, private readonly eventsSecret: string) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { call_id: string; attempt: number; campaign_id: string | null };
        const dial = { callId: parsed.call_id, attempt: parsed.attempt, campaignId: parsed.campaign_id, at: performance.now() };
        this.dials.push(dial);
        for (const w of [...this.waiters]) {
          if (w.match(dial)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(dial);
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ provider_call_id: `fake-${parsed.call_id}-${parsed.attempt}` }));
      });
    });
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/dial`;
  }

  /** The next dial request (arriving after this call) that `match` accepts. */
  next(match: (d: ReceivedDial) => boolean, timeoutMs: number): Promise<ReceivedDial> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching dial within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (d) => { clearTimeout(timer); resolve(d); } });
    });
  }

  /** Posts a signed `completed` outcome for the dial to the API. */
  async complete(dial: ReceivedDial): Promise<void> {
    const body = JSON.stringify({
      call_id: dial.callId, attempt: dial.attempt, provider_call_id: `fake-${dial.callId}-${dial.attempt}`,
      status: 'completed', duration_seconds: 1, occurred_at: new Date().toISOString(),
    });
    const res = await fetch(this.eventsUrl, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', ...signedHeaders(this.eventsSecret, body, new Date()) },
    });
    if (!res.ok) throw new Error(`provider event refused: ${res.status} ${await res.text()}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
