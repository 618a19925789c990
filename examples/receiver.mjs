// A webhook receiver to try edgecart's events with: verifies each delivery
// with the Standard Webhooks library (npm i standardwebhooks) and prints it.
//   WEBHOOK_SECRET=whsec_… node examples/receiver.mjs   # listens on 127.0.0.1:8788
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const hook = new Webhook(process.env.WEBHOOK_SECRET ?? '');
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    try {
      const event = hook.verify(body, req.headers);
      console.log(`verified ${req.headers['webhook-id']} ${event.type}: ${JSON.stringify(event.data)}`);
      res.writeHead(204).end();
    } catch (error) {
      console.log(`refused a delivery: ${error.message}`);
      res.writeHead(400).end();
    }
  });
}).listen(8788, '127.0.0.1', () => console.log('receiver on http://127.0.0.1:8788'));
