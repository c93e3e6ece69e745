// Railway Infrastructure as Code for Wakeplan: the two services, `api` and
// `worker`, both deployed from the repository root (npm workspaces), and their
// variables. See docs/deploying-to-railway.md for what each variable means.
//
// Written against Railway's documented DSL only:
//   - https://docs.railway.com/infrastructure-as-code/reference — service(),
//     start, healthcheck, healthcheckTimeout, replicas, env, ctx.shared, preserve();
//     `source` is omitted (documented: connect the GitHub repo in the dashboard);
//   - the `railway` SDK's DSL page (railwayapp/railway-ts-sdk,
//     docs/railway-config-dsl.md) — preDeploy, build (the build command);
//   - https://railpack.com/languages/node — RAILPACK_NODE_VERSION picks the Node
//     the service builds and runs on (else it is resolved from engines.node);
//   - https://docs.railway.com/deployments/deployment-teardown — the draining time
//     as the RAILWAY_DEPLOYMENT_DRAINING_SECONDS service variable.
// The documented DSL has no field for the restart policy or serverless sleeping,
// so set those in each service's Settings (worker: restart Always, Serverless
// off; api: restart On failure) — railway.toml sets them for services that still
// use config-as-code.
//
// One system per service: before `railway config apply` manages a service,
// delete its railway.toml (root railway.toml for api; clear the worker's
// "Config file path"), or `railway config plan` refuses. Composite values use
// Railway's reference syntax (${{service.VARIABLE}}) inside plain strings.
//
// This file is evaluated by the Railway CLI, not by this repository: the
// `railway` SDK is not a dependency and tsconfig.json does not include .railway/.
import { defineRailway, preserve, project, service } from "railway/iac";

export default defineRailway((ctx) => {
  // Shared variables (Project Settings → Shared Variables), one value for both services.
  const shared = {
    DATABASE_URL: ctx.shared.DATABASE_URL, // Neon pooled URL (…-pooler…) is fine here
    WAKE_TOKEN: ctx.shared.WAKE_TOKEN,
    PROVIDER_EVENTS_SECRET: ctx.shared.PROVIDER_EVENTS_SECRET,
    SHUTDOWN_GRACE_S: "10",
    // Longer than SHUTDOWN_GRACE_S: in-flight work finishes before SIGKILL.
    RAILWAY_DEPLOYMENT_DRAINING_SECONDS: "30",
    NODE_ENV: "production",
    // The Node line CI runs the whole suite on besides 20.19 (package.json engines allow 20.19–26).
    RAILPACK_NODE_VERSION: "24",
  };

  const api = service("api", {
    // Bundles both apps (esbuild): the services start with plain `node`, never a TypeScript loader.
    build: "npm run build",
    start: "npm run start:api",
    preDeploy: "npm run migrate",
    healthcheck: "/health",
    healthcheckTimeout: 60,
    replicas: 1,
    env: {
      ...shared,
      PORT: "3000",
      HOST: "::", // legacy Railway environments reach services over IPv6 only
      TRUST_PROXY: "true", // behind Railway's edge proxy: rate limits key on X-Forwarded-For
      API_TOKENS: preserve(), // comma-separated bearer tokens, set in the dashboard
      WORKER_WAKE_URL: "http://${{worker.RAILWAY_PRIVATE_DOMAIN}}:3001/wake",
      DEFAULT_TIMEZONE: "America/New_York",
    },
  });

  const worker = service("worker", {
    build: "npm run build",
    start: "npm run start:worker",
    healthcheck: "/health",
    healthcheckTimeout: 60,
    replicas: 1,
    env: {
      ...shared,
      // Railway probes PORT; the worker listens on WORKER_PORT, else PORT. 3001 is
      // the port WORKER_WAKE_URL names.
      PORT: "3001",
      DATABASE_LISTEN_URL: ctx.shared.DATABASE_LISTEN_URL, // Neon DIRECT host: the pooler cannot LISTEN
      // Where outcomes are posted and the callback_url given to the provider: an
      // external provider needs the API's public domain. (With DIALER=simulated the
      // private http://${{api.RAILWAY_PRIVATE_DOMAIN}}:3000/api/provider/events works too.)
      PROVIDER_EVENTS_URL: "https://${{api.RAILWAY_PUBLIC_DOMAIN}}/api/provider/events",
      DIALER: "webhook",
      DIALER_WEBHOOK_URL: preserve(),
      DIALER_WEBHOOK_SECRET: preserve(),
      MAX_CONCURRENT_CALLS: "10",
      CALL_RESULT_TIMEOUT_MINUTES: "30",
    },
  });

  return project("wakeplan", {
    resources: [api, worker],
  });
});
