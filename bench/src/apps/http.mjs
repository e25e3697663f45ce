// The node:http app: every topology that benchmarks node:http serves exactly this handler.
const BODY = Buffer.from('hello world\n');
const HEADERS = { 'content-type': 'text/plain', 'content-length': String(BODY.length) };

/** `GET /` → a 12-byte body; anything else → 404. */
export function createHandler() {
  return (req, res) => {
    if (req.url === '/') {
      res.writeHead(200, HEADERS);
      res.end(BODY);
      return;
    }
    res.writeHead(404, { 'content-length': '0' });
    res.end();
  };
}
