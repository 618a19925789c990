import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { type FieldError, invalidProblem, issuesToErrors } from '../../platform/problem.js';

const WHERE = {
  json: 'body',
  query: 'query string',
  param: 'path',
  header: 'headers',
  form: 'form',
  cookie: 'cookies',
} as const;

/**
 * Turns a failed request validation into 422 `validation-failed`, listing
 * the offending paths (see invalidProblem). Used as the default hook of every OpenAPIHono.
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return undefined;
  return invalidProblem(c, whereOf(result.target), issuesToErrors(result.error));
};

const whereOf = (target: string) => WHERE[target as keyof typeof WHERE] ?? target;

const PRICED = ['name', 'unit_price'] as const;

/**
 * The validation hook of the routes that take lines. With PRICES=client
 * every line names its name and unit_price (API.md §4), a rule of the
 * configuration the schema cannot hold: a body refused for another reason
 * lists the missing ones as well, so every offending path comes at once.
 * `linesOf` finds the lines in the body, each with its path prefix.
 */
export const pricedLinesHook =
  <T, P extends string>(
    linesOf: (body: unknown) => Array<[unknown, string]>,
  ): Hook<T, AppEnv, P, Promise<ReturnType<typeof invalidProblem>> | undefined> =>
  (result, c) => {
    if (result.success) return undefined;
    const errors: FieldError[] = issuesToErrors(result.error);
    const where = whereOf(result.target);
    if (result.target !== 'json' || c.get('config').PRICES !== 'client')
      return Promise.resolve(invalidProblem(c, where, errors));
    return c.req.json().then(
      (body: unknown) => {
        const listed = new Set(errors.map((error) => error.path));
        for (const [line, at] of linesOf(body)) {
          if (typeof line !== 'object' || line === null) continue;
          for (const field of PRICED)
            if (!Object.hasOwn(line, field) && !listed.has(`${at}${field}`))
              errors.push({ path: `${at}${field}`, message: 'Required' });
        }
        return invalidProblem(c, where, errors);
      },
      () => invalidProblem(c, where, errors),
    );
  };
