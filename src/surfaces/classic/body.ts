import type { Context } from 'hono';

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'malformed'; detail: string }
  | { ok: false; reason: 'unsupported-media-type'; mediaType: string };

const mediaTypeOf = (header: string | undefined) => (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
const isJson = (type: string) => type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);

/** Form fields as a plain object; a repeated key keeps its last value, as Django's QueryDict.get does. */
const formToObject = (form: URLSearchParams | FormData): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  form.forEach((value, key) => {
    if (typeof value === 'string') out[key] = value;
  });
  return out;
};

/**
 * Reads a classic body as JSON, or as a urlencoded or multipart form, as the
 * tutorial's parsers took them. An empty body reads as `{}`. The surface's
 * body-limit middleware has checked the size before this.
 */
export async function readBody(c: Context): Promise<BodyResult> {
  const type = mediaTypeOf(c.req.header('content-type'));
  if (isJson(type)) {
    const text = await c.req.text();
    // DRF reads an empty body as no data at all: every required field is then missing.
    if (text.trim() === '') return { ok: true, value: {} };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (error) {
      return { ok: false, reason: 'malformed', detail: `JSON parse error - ${(error as Error).message}` };
    }
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    try {
      return { ok: true, value: formToObject(await c.req.formData()) };
    } catch {
      return { ok: false, reason: 'malformed', detail: 'Form parse error - the body is not a valid form.' };
    }
  }
  if (type === '') {
    const text = await c.req.text();
    if (text === '') return { ok: true, value: {} };
  }
  return { ok: false, reason: 'unsupported-media-type', mediaType: type };
}

/** Python's name for a JSON value's type, as DRF reports it. */
export function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
