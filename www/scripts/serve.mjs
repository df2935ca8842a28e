#!/usr/bin/env node
// A tiny static file server for www/dist (no dependencies): right MIME types (wasm
// included), no caching, optionally mounted under a sub-path to prove the page works
// from one. Used by scripts/serve.sh and by the end-to-end suite.
//
//   node scripts/serve.mjs [--dir DIR] [--port 8080] [--host 127.0.0.1] [--base /sub/path/]

import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".tar": "application/x-tar",
};

/** Starts serving `dir` under `base`; resolves with the server and its URL. */
export function startServer({ dir, port = 0, host = "127.0.0.1", base = "/" } = {}) {
  const rootDir = resolve(dir);
  if (!base.startsWith("/")) base = "/" + base;
  if (!base.endsWith("/")) base += "/";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let path = decodeURIComponent(url.pathname);
    if (path + "/" === base) {
      res.writeHead(301, { Location: base });
      return res.end();
    }
    if (!path.startsWith(base)) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end(`not found (the page is served under ${base})\n`);
    }
    path = path.slice(base.length) || "index.html";
    const file = normalize(join(rootDir, path));
    if (file !== rootDir && !file.startsWith(rootDir + sep)) {
      res.writeHead(403);
      return res.end();
    }
    let target = file;
    try {
      if (statSync(target).isDirectory()) target = join(target, "index.html");
      statSync(target);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found\n");
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(target)] ?? "application/octet-stream", "Cache-Control": "no-cache" });
    if (req.method === "HEAD") return res.end();
    createReadStream(target).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const addr = server.address();
      ok({ server, url: `http://${host === "0.0.0.0" ? "localhost" : host}:${addr.port}${base}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = { dir: join(fileURLToPath(new URL("..", import.meta.url)), "dist"), port: Number(process.env.PORT ?? 8080), host: "0.0.0.0", base: "/" };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === "--dir") opts.dir = v, i++;
    else if (k === "--port") opts.port = Number(v), i++;
    else if (k === "--host") opts.host = v, i++;
    else if (k === "--base") opts.base = v, i++;
  }
  const { url } = await startServer(opts);
  console.log(`dfplay: serving ${opts.dir} at ${url}`);
}
