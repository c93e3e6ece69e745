// The status page route on its own Fastify instance: it serves the page and its
// assets with the right types and a CSP of 'self' only, needs no token and no
// database, and serves nothing else from the folder.
import sensible from '@fastify/sensible';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleError } from '../../src/errors.ts';
import { STATUS_PAGE_CSP, statusPageRoutes } from '../../src/routes/status-page.ts';

const app = Fastify();
beforeAll(async () => {
  app.setErrorHandler(handleError);
  await app.register(sensible); // as buildApp does: the routes use its reply helpers
  await app.register(statusPageRoutes);
  await app.ready();
});
afterAll(() => app.close());

describe('GET /', () => {
  it('serves the page as HTML with a CSP that allows only self', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(STATUS_PAGE_CSP);
    expect(STATUS_PAGE_CSP).toContain("default-src 'self'");
    expect(STATUS_PAGE_CSP).not.toMatch(/unsafe|https?:|\*/);
    expect(res.body).toContain('<script type="module" src="/assets/status-page.js"></script>');
  });

  it('declares its routes public, so the auth hook lets them through without a token', async () => {
    const guarded = Fastify();
    guarded.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config?.public !== true) return reply.code(401).send('token required');
    });
    await guarded.register(sensible);
    await guarded.register(statusPageRoutes);
    expect((await guarded.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect((await guarded.inject({ method: 'GET', url: '/assets/status-page.css' })).statusCode).toBe(200);
    await guarded.close();
  });

  it('answers a revalidation with 304', async () => {
    const first = await app.inject({ method: 'GET', url: '/' });
    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });
});

describe('GET /assets/:file', () => {
  it.each([
    ['status-page.js', 'text/javascript; charset=utf-8'],
    ['refresh-policy.js', 'text/javascript; charset=utf-8'],
    ['status-page.css', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
  ])('serves %s as %s', async (file, type) => {
    const res = await app.inject({ method: 'GET', url: `/assets/${file}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['content-security-policy']).toBe(STATUS_PAGE_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['refresh-policy.d.ts', 'missing.js', '..%2Fsrc%2Fmain.ts', 'index.html'])('answers 404 for %s', async (file) => {
    const res = await app.inject({ method: 'GET', url: `/assets/${file}` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('every module the page imports is served', async () => {
    const files = ['status-page.js', 'timeline-svg.js', 'progress-svg.js', 'describe-status.js', 'read-api-data.js', 'markup.js', 'refresh-policy.js', 'duration-words.js',
      'awake-band.js', 'campaign-detail.js', 'contact-table.js'];
    for (const file of files) {
      const body = (await app.inject({ method: 'GET', url: `/assets/${file}` })).body;
      for (const [, imported] of body.matchAll(/from '\.\/([\w-]+\.js)'/g)) expect(files).toContain(imported);
    }
  });
});
