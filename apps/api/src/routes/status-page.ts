// The status page: GET / serves apps/api/public/index.html, GET /assets/:file the
// page's scripts, stylesheet and icon from the same folder.
//
// Invariants: the files are read once, when the plugin registers (no disk access
// per request, no build step: `npm start` serves them as they are); a request
// never touches the database, so opening the page cannot wake it; every response
// carries a Content-Security-Policy that allows only 'self' (no inline script or
// style, no third-party origin). The page asks for the API token itself in the
// browser, so the routes are public (`config: { public: true }`, plugins/auth.ts).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const STATUS_PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// Found through the package, not this module's path: the production bundle (apps/api/dist) inlines this module.
const DEFAULT_PUBLIC_DIR = join(dirname(createRequire(import.meta.url).resolve('@wakeplan/api/package.json')), 'public');

interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

export interface StatusPageOptions {
  /** Folder holding index.html and the assets; apps/api/public by default. */
  publicDir?: string;
}

/** Reads every servable file of the folder once. */
function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    const body = readFileSync(join(dir, name));
    files.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  if (!files.has('index.html')) throw new Error(`status page: no index.html in ${dir}`);
  return files;
}

export async function statusPageRoutes(app: FastifyInstance, options: StatusPageOptions = {}): Promise<void> {
  const files = loadStaticFiles(options.publicDir ?? DEFAULT_PUBLIC_DIR);
  // Public (no token: the page asks for it), and not part of the API description.
  const routeOptions = { config: { public: true }, schema: { hide: true } };

  app.get('/', routeOptions, (request, reply) => sendFile(request, reply, files.get('index.html')!));

  app.get<{ Params: { file: string } }>('/assets/:file', routeOptions, (request, reply) => {
    const file = request.params.file === 'index.html' ? undefined : files.get(request.params.file);
    if (!file) return reply.notFound(`no status-page asset named "${request.params.file}"`);
    return sendFile(request, reply, file);
  });
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply {
  reply
    .header('content-security-policy', STATUS_PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .cacheControl('no-cache')
    .header('etag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(file.contentType).send(file.body);
}
