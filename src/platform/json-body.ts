import type { Context, MiddlewareHandler } from 'hono';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Reads a JSON request body once, before the route's validators: a body in
 * another media type is refused with `unsupported`, one that does not parse
 * with `malformed`; no body at all passes (the validators then see `{}`). The
 * parsed value is what the validators read, and the text stays available
 * (`c.req.text()`) for the idempotency fingerprint.
 *
 * @example
 * app.use(jsonBody({ unsupported: (c) => c.json({}, 415), malformed: (c) => c.json({}, 400) }));
 */
export function jsonBody(refuse: {
  unsupported: (c: Context) => Response;
  malformed: (c: Context) => Response;
}): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== 'POST' && method !== 'PATCH' && method !== 'PUT') return next();
    const type = c.req.header('content-type');
    if (type === undefined) {
      const length = c.req.header('content-length');
      const sent = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      return sent ? refuse.unsupported(c) : next();
    }
    if (!JSON_TYPE.test(type.split(';')[0]?.trim() ?? '')) return refuse.unsupported(c);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await c.req.text());
    } catch {
      return refuse.malformed(c);
    }
    // The validators call c.req.json(); hand them this parse rather than a second one.
    c.req.bodyCache.json = Promise.resolve(parsed);
    return next();
  };
}
