// The stack's floor: a minimal Hono app on @hono/node-server answering GET /healthz.
// Usage: node bench/floor-hono.mjs PORT
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().get('/healthz', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' });
