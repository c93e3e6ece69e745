// Request ids that survive restarts and cross processes: every request is named
// by a random UUID — or by the caller's own X-Request-Id when it is sane (a
// proxy's or a frontend's id; @wakeplan/contract request-id.ts) — which is in
// every log line of the request (`reqId`), echoed in the response's
// X-Request-Id, and sent on the doorbell rung after the request's write, so the
// worker's "woke" line names it.
//
// Fastify's default ids are a counter that restarts at 1 with the process: two
// deployments' logs would share ids. A UUID never repeats.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER, saneRequestId } from '@wakeplan/contract';

/** Fastify's options for naming requests; `requestIdHeader: false`, since genReqId reads (and checks) the header itself. */
export const requestIdOptions = {
  requestIdHeader: false as const,
  genReqId: (req: IncomingMessage): string => saneRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID(),
};

/** Echoes the id on every response, errors and 404s included (the first hook, so nothing answers before it). */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}
