// CORS for a browser frontend on another origin (@fastify/cors), from
// CORS_ORIGINS: unset → no Access-Control-Allow-Origin for anyone, so only
// pages of the API's own origin (the status page) can call it; a list → those
// origins exactly; `*` → any (refused in production by config.ts).
//
// Invariants: a preflight (OPTIONS with Origin) is answered 204 by this
// plugin's onRequest hook, registered before auth and rate limiting, so it
// never needs a token and never counts; no credentials mode (the API takes a
// bearer token in Authorization, not cookies); the browser may send the
// headers the API reads and read the ones it sets (ETag, Location, the rate
// limit, X-Request-Id, Idempotent-Replayed).
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export async function registerCors(app: FastifyInstance, origins: string[]): Promise<void> {
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: [
      'ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed',
      'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset',
    ],
    credentials: false,
    maxAge: 600,
    strictPreflight: false,
    hideOptionsRoute: true,
  });
}
