import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { issuesToErrors, problem } from '../../platform/problem.js';

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
 * every offending path. Used as the default hook of every OpenAPIHono.
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return undefined;
  const errors = issuesToErrors(result.error);
  const where = WHERE[result.target as keyof typeof WHERE] ?? result.target;
  const count = errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`;
  return problem(c, 422, 'validation-failed', `The request ${where} has ${count}.`, errors);
};
