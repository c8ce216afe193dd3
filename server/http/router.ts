/** A tiny router: method plus a path pattern like `/api/messages/:id`, matched by segments. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type RouteParams = Readonly<Record<string, string>>;

export type RouteMatch<H> =
  | { readonly kind: 'found'; readonly handler: H; readonly params: RouteParams }
  | { readonly kind: 'method_not_allowed'; readonly allow: string }
  | { readonly kind: 'not_found' };

interface Route<H> {
  readonly method: HttpMethod;
  readonly pattern: readonly string[];
  readonly handler: H;
}

/** Routes are tried in the order added. A GET route also answers HEAD. */
export class Router<H> {
  readonly #routes: Route<H>[] = [];

  /** Adds a route; `:name` segments capture the (already decoded) segment as `params.name`. */
  add(method: HttpMethod, pattern: string, handler: H): this {
    this.#routes.push({ method, pattern: pattern.split('/').slice(1), handler });
    return this;
  }

  /** Finds the route for a request, or says why there is none (with the Allow list for a 405). */
  match(method: string, segments: readonly string[]): RouteMatch<H> {
    const effective = method === 'HEAD' ? 'GET' : method;
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = matchPattern(route.pattern, segments);
      if (params === null) continue;
      if (route.method === effective) return { kind: 'found', handler: route.handler, params };
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
    }
    if (allowed.size === 0) return { kind: 'not_found' };
    return { kind: 'method_not_allowed', allow: [...allowed].join(', ') };
  }
}

function matchPattern(pattern: readonly string[], segments: readonly string[]): RouteParams | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
