import { validate } from '@readme/openapi-parser';
import { expect, it } from 'vitest';
import { openapiCases } from '../cases/openapi.cases.js';
import { nodeApp } from './app.js';

const { fetcher } = await nodeApp();
openapiCases(fetcher);

it('passes a real OpenAPI 3.1 validator', async () => {
  const doc = (await (await fetcher('/openapi.json')).json()) as Parameters<typeof validate>[0];
  const result = await validate(doc);
  expect(result.valid ? [] : result.errors).toEqual([]);
  expect(result.specification).toBe('OpenAPI');
});
