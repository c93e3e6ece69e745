// Wires the request ledger into Fastify: every request is marked as it begins
// (so the pool's statements know the route families in flight), and after the
// response, if statements ran meanwhile, the pending entries are written
// (request-ledger.ts).
// A failed ledger write is logged and retried with a later request; the
// response was already sent and is never affected.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Sql } from '@wakeplan/db';
import type { RequestLedger, RequestMark } from './request-ledger.ts';

export function installLedgerHooks(app: FastifyInstance, o: { ledger: RequestLedger; sql: Sql }): void {
  const marks = new WeakMap<FastifyRequest, RequestMark>();
  app.addHook('onRequest', async (request) => {
    marks.set(request, o.ledger.requestStarted(request.routeOptions.url));
  });
  app.addHook('onResponse', async (request) => {
    const mark = marks.get(request);
    if (!mark) return;
    marks.delete(request);
    const failed = await o.ledger.afterRequest(mark, o.sql);
    if (failed) request.log.warn({ err: failed }, 'could not write the activity ledger; kept for a later request');
  });
}
