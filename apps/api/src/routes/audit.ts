// The compliance audit of dials: GET /api/audit/dials?from&to lists every
// request that left in [from, to) against the dial rule (outside its campaign
// window or the recipient's hours, campaign not active, a second live attempt),
// from what was recorded when it left. `wakeplan audit` prints the same data,
// computed by the same function (packages/db dial-audit.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditDials } from '@wakeplan/db';
import type { RouteDeps } from '../deps.ts';
import { validationFailed } from '../errors.ts';
import { DialAudit, AuditQuery } from '../schemas/audit.ts';
import { Envelope, ok } from '../schemas/common.ts';

/** The longest window one request may audit (a year). */
const MAX_AUDIT_MS = 366 * 86_400_000;

export const auditRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get('/api/audit/dials', {
    schema: {
      operationId: 'auditDials',
      summary: 'Dials that broke the dial rule',
      description: 'Every dial request that left in [`from`, `to`) outside its campaign window, outside the recipient\'s '
        + 'calling hours, while its campaign was not active, or while another attempt of the same contact was still live — '
        + 'judged from what the database recorded when it left (never from today\'s campaign). Defaults to the last day. '
        + 'Production should find this list empty every day.',
      tags: ['audit'],
      querystring: AuditQuery,
      response: { 200: Envelope(DialAudit) },
    },
  }, async (request) => {
    const to = request.query.to ? new Date(request.query.to) : deps.now();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 86_400_000);
    if (from.getTime() >= to.getTime()) throw validationFailed([{ field: 'from', message: 'must be before `to`' }]);
    if (to.getTime() - from.getTime() > MAX_AUDIT_MS) throw validationFailed([{ field: 'from', message: 'must be at most 366 days before `to`' }]);
    return ok(await auditDials(deps.sql, from, to));
  });
};
