// 405 for a method a known path does not take: every route is indexed as it is
// registered, and the not-found handler asks the index which methods the path
// does take. Any → 405 METHOD_NOT_ALLOWED with `Allow` listing them; none → 404.
// A catch-all route (`*`, the CORS preflight's OPTIONS) knows no path and is
// left out.
import type { FastifyInstance } from 'fastify';

export interface RouteIndex {
  /** The methods routes take at this concrete path (no query), sorted; empty when none. */
  methodsAt(path: string): string[];
}

export function indexRoutes(app: FastifyInstance): RouteIndex {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    routes.push({ pattern: pathPattern(route.url), methods: [route.method].flat() });
  });
  return {
    methodsAt(path) {
      const methods = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
      return [...methods].sort();
    },
  };
}

/** find-my-way's syntax → a RegExp: `:param` is one segment, a trailing `*` anything. */
function pathPattern(url: string): RegExp {
  const source = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return new RegExp(`^${source}/?$`);
}
