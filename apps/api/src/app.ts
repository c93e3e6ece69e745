// buildApp(deps): the whole HTTP API, built and ready for `inject` or `listen` —
// it never listens itself (main.ts does). Everything it needs comes in `deps`;
// it reads no environment and opens no connection until a route queries.
//
// Order matters: the request id first (every answer carries it), error handling
// and validation, the conventions every route gets and the route index for 405s
// (both watch routes as they register), then CORS (a preflight is answered
// before anything checks a token), rate limiting and auth (they wrap every
// route registered after them), conditional GETs, then the API description,
// then the routes. A route that needs no token says so itself (plugins/auth.ts).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import sensible from '@fastify/sensible';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createBearerMatcher } from '@wakeplan/contract';
import { createActivityService } from './activity/activity-service.ts';
import { installLedgerHooks } from './activity/ledger-hooks.ts';
import { RequestLedger } from './activity/request-ledger.ts';
import type { AppDeps, RouteDeps } from './deps.ts';
import { ApiError, handleError } from './errors.ts';
import { createUserActivity } from './plugins/activity.ts';
import { installAuth } from './plugins/auth.ts';
import { createChangeToken, installConditionalGets } from './plugins/conditional-get.ts';
import { registerCors } from './plugins/cors.ts';
import { indexRoutes } from './plugins/method-not-allowed.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { echoRequestId, requestIdOptions } from './plugins/request-id.ts';
import { applyRouteConventions } from './plugins/route-conventions.ts';
import { validatorCompiler } from './plugins/validation.ts';
import { auditRoutes } from './routes/audit.ts';
import { callRoutes } from './routes/calls.ts';
import { campaignCallRoutes } from './routes/campaign-calls.ts';
import { campaignContactRoutes } from './routes/campaign-contacts.ts';
import { campaignImportRoutes } from './routes/campaign-import.ts';
import { campaignLifecycleRoutes } from './routes/campaign-lifecycle.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { dncRoutes } from './routes/dnc.ts';
import { ApiMetrics } from './metrics/api-metrics.ts';
import { activityRoutes } from './routes/activity.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { healthRoutes } from './routes/health.ts';
import { providerEventsRoutes } from './routes/provider-events.ts';
import { schedulerRoutes } from './routes/scheduler.ts';
import { statusPageRoutes } from './routes/status-page.ts';
import { PlanFollower } from './scheduler/plan-follower.ts';
import { createStatusService } from './scheduler/status-service.ts';
import { createPlanWriter } from './plan-writer.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { createWebhookKicker } from './webhooks/webhook-sender.ts';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, sql, logger } = deps;
  const now = deps.clock ? () => deps.clock!.now() : () => new Date();
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    ...requestIdOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ledger = deps.ledger ?? new RequestLedger(now);
  installLedgerHooks(app, { ledger, sql });
  const metrics = deps.metrics ?? new ApiMetrics();
  metrics.install(app);
  echoRequestId(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  await app.register(sensible);
  applyRouteConventions(app);
  const routeIndex = indexRoutes(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = routeIndex.methodsAt(path);
    if (allowed.length === 0) return reply.notFound(`no route ${request.method} ${path}`);
    void reply.header('allow', allowed.join(', '));
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${path} does not take ${request.method}; it takes ${allowed.join(', ')}`);
  });

  const tokens = createBearerMatcher(config.apiTokens);
  const activity = createUserActivity();
  await registerCors(app, config.corsOrigins);
  await registerRateLimit(app, config.rateLimitPerMinute, tokens);
  installAuth(app, { tokens, activity, now });

  const plan = new PlanFollower(sql, { logger });
  const status = createStatusService({ sql, plan, workerBaseUrl: config.workerBaseUrl, activity });
  const webhooks = deps.webhooks ?? createWebhookKicker({ sql, logger, now });
  const planWriter = createPlanWriter({
    sql, logger, doorbellUrl: config.workerWakeUrl, wakeToken: config.wakeToken,
    onCommitted: (kind) => {
      status.invalidate(); // and the plan copy catches up at the next status or preview
      // an outcome or a lifecycle change may have enqueued webhook events: send them while the database is awake
      if (kind === 'call_finished' || kind === 'campaign_changed') webhooks.kick();
    },
    onRing: (result) => metrics.ring(result),
  });
  const changes = createChangeToken({ writes: () => planWriter.version(), workerBaseUrl: config.workerBaseUrl, now });
  installConditionalGets(app, { changes, now });
  const activityReports = createActivityService({
    sql, ledger, changes, now,
    settings: { suspendMinutes: config.neonSuspendMinutes, cuHourPrice: config.neonCuHourPrice, computeUnits: config.neonComputeUnits },
  });
  await registerOpenApi(app, { serverUrl: config.publicUrl ?? `http://127.0.0.1:${config.port}` });
  const routeDeps: RouteDeps = { sql, config, now, planWriter, status, plan };

  await app.register(healthRoutes);
  await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  await app.register(statusPageRoutes);
  await app.register(campaignRoutes, routeDeps);
  await app.register(campaignImportRoutes, routeDeps);
  await app.register(campaignContactRoutes, routeDeps);
  await app.register(campaignLifecycleRoutes, routeDeps);
  await app.register(campaignCallRoutes, routeDeps);
  await app.register(callRoutes, routeDeps);
  await app.register(dncRoutes, routeDeps);
  await app.register(schedulerRoutes, routeDeps);
  await app.register(activityRoutes, { activity: activityReports });
  await app.register(providerEventsRoutes, routeDeps);
  await app.register(auditRoutes, routeDeps);
  await app.register(webhookRoutes, routeDeps);

  app.addHook('onClose', async () => {
    await planWriter.settled();
    await webhooks.settled();
  });
  return app;
}
