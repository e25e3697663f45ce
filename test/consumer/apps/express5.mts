// Express 5, TypeScript ESM.
import express from 'express';
import { serveExpress } from '@einhorn/express';

const app = express();
app.get('/', (_req, res) => {
  res.json({ pid: process.pid, app: 'express5' });
});
await serveExpress(app);
