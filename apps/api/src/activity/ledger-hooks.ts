// Wires the request ledger into Fastify: every request runs in its ledger scope
// (so the pool's statements know their route family), and after the response a
// request that ran statements writes the pending entries (request-ledger.ts).
// A failed ledger write is logged and retried with a later request; the
// response was already sent and is never affected.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Sql } from '@wakeplan/db';
import type { RequestLedger, RequestScope } from './request-ledger.ts';

export function installLedgerHooks(app: FastifyInstance, o: { ledger: RequestLedger; sql: Sql }): void {
  const scopes = new WeakMap<FastifyRequest, RequestScope>();
  app.addHook('onRequest', (request, _reply, done) => {
    scopes.set(request, o.ledger.runInRequest(request.routeOptions.url, done));
  });
  app.addHook('onResponse', async (request) => {
    const scope = scopes.get(request);
    if (!scope) return;
    const failed = await o.ledger.afterRequest(scope, o.sql);
    if (failed) request.log.warn({ err: failed }, 'could not write the activity ledger; kept for a later request');
  });
}
