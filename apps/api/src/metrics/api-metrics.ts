// The API's Prometheus metrics (prom-client), served by routes/metrics.ts:
// request duration by route and status, provider events by result, doorbell
// rings by result, contacts imported, and the default process metrics.
//
// Invariants: everything is counted in memory as requests pass (an onResponse
// hook, an onSend look at the two routes whose answers carry a result or an
// import report, the plan writer's ring callback); producing the text touches
// no database; route labels are route patterns (`/api/campaigns/:id`), never raw
// URLs, so their number stays bounded.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RingResult } from '../worker-link/doorbell.ts';

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly duration = new Histogram({
    name: 'wakeplan_api_request_duration_seconds', help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['route', 'method', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  private readonly providerEvents = new Counter({
    name: 'wakeplan_api_provider_events_total', help: 'provider events received, by result (applied, duplicate, stale, … or rejected_<status>)',
    labelNames: ['result'], registers: [this.registry],
  });
  private readonly doorbell = new Counter({
    name: 'wakeplan_api_doorbell_rings_total', help: 'doorbell rings to the worker after a plan change, by result (rung, failed, not_configured)',
    labelNames: ['result'], registers: [this.registry],
  });
  private readonly imported = new Counter({
    name: 'wakeplan_api_contacts_imported_total', help: 'contact rows imported, by source (csv or json)',
    labelNames: ['source'], registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts every answered request, and reads the result of provider events and imports from their answers. */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.duration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      if (route === '/api/provider/events' && reply.statusCode >= 400) this.providerEvents.inc({ result: `rejected_${reply.statusCode}` });
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode >= 300 || typeof payload !== 'string' || request.method !== 'POST') return payload;
      const route = request.routeOptions.url;
      if (route === '/api/provider/events') {
        const result = readJson(payload)?.data?.result;
        if (typeof result === 'string') this.providerEvents.inc({ result });
      } else if (route?.startsWith('/api/campaigns')) {
        const data = readJson(payload)?.data;
        const imported = data?.imported ?? data?.import?.imported;
        const type = String(request.headers['content-type'] ?? '');
        if (typeof imported === 'number' && imported > 0) this.imported.inc({ source: /csv|multipart/.test(type) ? 'csv' : 'json' }, imported);
      }
      return payload;
    });
  }

  ring(result: RingResult): void {
    this.doorbell.inc({ result: result.ok ? 'rung' : result.attempts === 0 ? 'not_configured' : 'failed' });
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
