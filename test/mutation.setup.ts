import { beforeEach } from 'vitest';
import { forgetMemos } from '../src/lib/memo.js';

// npm run mutate: each test builds the statements, schemas and keys it uses,
// so the tests that run the code building them are the ones Stryker maps to it.
beforeEach(() => forgetMemos());
