// buildApp(deps): the whole HTTP API, built and ready for `inject` or `listen` —
// it never listens itself (main.ts does). Everything it needs comes in `deps`;
// it reads no environment and opens no connection until a route queries.
//
// Order matters: error handling and validation first, then rate limiting and
// auth (they wrap every route registered after them), then the API description,
// then the routes. A route that needs no token says so itself (plugins/auth.ts).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import sensible from '@fastify/sensible';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createBearerMatcher } from '@wakeplan/contract';
import type { AppDeps, RouteDeps } from './deps.ts';
import { handleError } from './errors.ts';
import { createUserActivity } from './plugins/activity.ts';
import { installAuth } from './plugins/auth.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { echoRequestId, requestIdOptions } from './plugins/request-id.ts';
import { validatorCompiler } from './plugins/validation.ts';
import { callRoutes } from './routes/calls.ts';
import { campaignContactRoutes } from './routes/campaign-contacts.ts';
import { campaignImportRoutes } from './routes/campaign-import.ts';
import { campaignLifecycleRoutes } from './routes/campaign-lifecycle.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { healthRoutes } from './routes/health.ts';
import { providerEventsRoutes } from './routes/provider-events.ts';
import { schedulerRoutes } from './routes/scheduler.ts';
import { statusPageRoutes } from './routes/status-page.ts';
import { createStatusService } from './scheduler/status-service.ts';
import { createPlanWriter } from './plan-writer.ts';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, sql, logger } = deps;
  const now = deps.clock ? () => deps.clock!.now() : () => new Date();
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    ...requestIdOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();

  echoRequestId(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  await app.register(sensible);
  app.setNotFoundHandler((request, reply) => reply.notFound(`no route ${request.method} ${request.url.split('?')[0]}`));

  const tokens = createBearerMatcher(config.apiTokens);
  const activity = createUserActivity();
  await registerRateLimit(app, config.rateLimitPerMinute, tokens);
  installAuth(app, { tokens, activity, now });
  await registerOpenApi(app);

  const status = createStatusService({ sql, workerBaseUrl: config.workerBaseUrl, activity });
  const planWriter = createPlanWriter({
    sql, logger, doorbellUrl: config.workerWakeUrl, wakeToken: config.wakeToken, onCommitted: () => status.invalidate(),
  });
  const routeDeps: RouteDeps = { sql, config, now, planWriter, status };

  await app.register(healthRoutes);
  await app.register(statusPageRoutes);
  await app.register(campaignRoutes, routeDeps);
  await app.register(campaignImportRoutes, routeDeps);
  await app.register(campaignContactRoutes, routeDeps);
  await app.register(campaignLifecycleRoutes, routeDeps);
  await app.register(callRoutes, routeDeps);
  await app.register(schedulerRoutes, routeDeps);
  await app.register(providerEventsRoutes, routeDeps);

  app.addHook('onClose', async () => {
    await planWriter.settled();
  });
  return app;
}
