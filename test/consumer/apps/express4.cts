// Express 4 (installed as the alias express4), CommonJS with require.
import express = require('express4');
import einhornExpress = require('@einhorn/express');

const app = express();
app.get('/', (_req, res) => {
  res.json({ pid: process.pid, app: 'express4' });
});
einhornExpress.serveExpress(app).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
