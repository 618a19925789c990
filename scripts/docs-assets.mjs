// Copies Swagger UI's files into public/docs/assets/, which wrangler serves as
// static assets, so /docs on Workers needs nothing from the internet.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const to = join(root, 'public', 'docs', 'assets');
mkdirSync(to, { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) copyFileSync(join(from, file), join(to, file));
