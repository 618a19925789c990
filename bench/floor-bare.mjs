// The floor under everything: bare node:http answering GET /healthz as edgecart does (JSON).
// Usage: node bench/floor-bare.mjs PORT
import { createServer } from 'node:http';

const body = '{"status":"ok"}';
createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
    return;
  }
  res.writeHead(404);
  res.end();
}).listen(Number(process.argv[2]), '127.0.0.1');
