'use strict';
// A ClickHouse HTTP endpoint for tests, run as its own process: the subset of the HTTP interface that
// @clickhouse/client uses (GET /ping; POST / with the SQL in the body, or an INSERT in ?query= and
// its rows in the body; ?database=, ?param_<name>= query parameters, other parameters as settings;
// errors as "Code: N. DB::Exception: ..." with X-ClickHouse-Exception-Code), executed on the real
// ClickHouse engine through chDB. It exists so the fault suite can make "the ClickHouse server"
// unavailable: the parent sends {op:'close'} (listener closed, open connections destroyed: clients
// get ECONNREFUSED/ECONNRESET) and {op:'open'} over IPC; or hung: {op:'hang'} keeps accepting
// connections and reading requests but answers none (not even /ping) until {op:'resume'}, which
// then executes every held request in arrival order and answers it if its client is still there —
// a stalled server that applies an INSERT after its client gave up, as a real one may;
// {op:'hang-inserts'} holds only INSERTs and answers everything else (a server throttling inserts). Settings keep chDB's defaults where they
// differ from a server's (64-bit integers in JSON formats come unquoted unless the query asks).
// Usage (forked): clickhouse-http-server.js <data dir> <port>; sends {ready:true} once listening.
const http = require('node:http');
const { createChdbConnection } = require('chdb/connection');

const [dir, portArg] = process.argv.slice(2);
const port = Number(portArg);
const connection = createChdbConnection({ path: dir });
const NOT_SETTINGS = new Set(['query', 'database', 'query_id', 'session_id', 'role', 'user', 'password']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

// One statement at a time: the session's current database is switched per request.
let queue = Promise.resolve();
function serialized(fn) {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function execute(url, body) {
  const sp = url.searchParams;
  const database = sp.get('database') || 'default';
  if (!IDENT.test(database)) throw new Error(`Code: 81. DB::Exception: Database ${database} does not exist. (UNKNOWN_DATABASE)`);
  const inUrl = sp.get('query');
  const sql = inUrl ? (body ? `${inUrl}\n${body}` : inUrl) : body;
  const query_params = {};
  const clickhouse_settings = {};
  for (const [k, v] of sp) {
    if (k.startsWith('param_')) query_params[k.slice(6)] = v;
    else if (!NOT_SETTINGS.has(k)) clickhouse_settings[k] = v;
  }
  return serialized(async () => {
    await connection.command({ query: `USE ${database}` });
    const result = await connection.exec({ query: sql, query_params, clickhouse_settings });
    const out = [];
    for await (const chunk of result.stream) out.push(chunk);
    return { bytes: Buffer.concat(out), summary: result.summary };
  });
}

const sockets = new Set();
/** false, 'all' or 'inserts'. */
let hung = false;
/** Requests that arrived while hung (their bodies already read): run on resume. */
let held = [];

const server = http.createServer({ maxHeaderSize: 1024 * 1024, keepAliveTimeout: 10_000 }, (req, res) => {
  readBody(req).then((body) => (holds(req, body) ? held.push(() => answer(req, res, body)) : answer(req, res, body)), () => undefined);
});

function holds(req, body) {
  if (hung === 'all') return true;
  if (hung !== 'inserts') return false;
  const sql = `${new URL(req.url, 'http://localhost').searchParams.get('query') || ''} ${body.slice(0, 200)}`;
  return /^\s*INSERT\b/i.test(sql);
}

function answer(req, res, body) {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/ping') {
    res.end('Ok.\n');
    return;
  }
  return execute(url, body)
    .then(({ bytes, summary }) => {
      if (res.destroyed) return;
      res.setHeader('X-ClickHouse-Summary', JSON.stringify(summary ?? {}));
      res.setHeader('Content-Type', 'text/plain; charset=UTF-8');
      res.end(bytes);
    })
    .catch((e) => {
      if (res.destroyed) return;
      const code = e && e.code && /^\d+$/.test(String(e.code)) ? String(e.code) : '1000';
      const type = (e && e.type) || 'STD_EXCEPTION';
      res.statusCode = 500;
      res.setHeader('X-ClickHouse-Exception-Code', code);
      res.end(`Code: ${code}. DB::Exception: ${e && e.message ? e.message : e}. (${type})`);
    });
}
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});

function open() {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close() {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

function hang() {
  hung = 'all';
  return Promise.resolve();
}

function hangInserts() {
  hung = 'inserts';
  return Promise.resolve();
}

async function resume() {
  hung = false;
  const now = held;
  held = [];
  for (const run of now) await run();
}

const OPS = { close, open, hang, 'hang-inserts': hangInserts, resume };
process.on('message', (m) => {
  const op = (m && OPS[m.op]) || open;
  op().then(
    () => process.send({ op: m.op, ok: true }),
    (e) => process.send({ op: m.op, ok: false, error: e.message }),
  );
});
process.on('disconnect', () => process.exit(0));

open().then(
  () => process.send({ ready: true }),
  (e) => {
    process.stderr.write(`clickhouse-http: cannot listen on ${port}: ${e.message}\n`);
    process.exit(1);
  },
);
