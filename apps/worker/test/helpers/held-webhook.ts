// A webhook dialer target on 127.0.0.1 for tests: records every request (key,
// body, headers) and answers 200 with a provider_call_id — at once, or, while
// `hold` is set, only when the test releases it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDial {
  key: string;
  body: string;
  headers: IncomingMessage['headers'];
}

export interface WebhookTarget {
  url: string;
  received: ReceivedDial[];
  /** While true, requests wait for release(). */
  hold: boolean;
  /** Status to answer with (200 by default). */
  status: number;
  release(): void;
  /** Forgets held requests without answering or acting on them (as if they never arrived whole). */
  drop(): void;
  close(): Promise<void>;
}

export async function startWebhookTarget(onDial?: (dial: ReceivedDial) => void): Promise<WebhookTarget> {
  const held: (() => void)[] = [];
  const target: WebhookTarget = {
    url: '', received: [], hold: false, status: 200,
    release() {
      for (const answer of held.splice(0)) answer();
    },
    drop() {
      held.splice(0);
    },
    close: async () => {},
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const dial = { key: String(req.headers['idempotency-key']), body, headers: req.headers };
      target.received.push(dial);
      const status = target.status;
      const answer = () => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ provider_call_id: `p-${dial.key}` }));
        if (status < 300) onDial?.(dial);
      };
      if (target.hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dial`;
  target.close = async () => {
    target.release();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return target;
}
