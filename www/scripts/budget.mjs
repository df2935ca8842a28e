#!/usr/bin/env node
// Checks the size budget of the built page (gzip -9, as a static host would serve it):
// the engine's .wasm at most 600 KB, the whole first load (everything in dist/: html,
// js, css, wasm, examples) at most 1 MB. Prints the figures; exits 1 when over.
//
//   node scripts/budget.mjs [--json FILE]

import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = fileURLToPath(new URL("../dist", import.meta.url));
const WASM_LIMIT = 600_000;
const TOTAL_LIMIT = 1_000_000;

const files = readdirSync(dist).filter((f) => statSync(join(dist, f)).isFile()).sort();
const sizes = Object.fromEntries(files.map((f) => {
  const raw = readFileSync(join(dist, f));
  return [f, { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length }];
}));
const wasm = sizes["dfplay_bg.wasm"]?.gzip ?? Infinity;
const total = Object.values(sizes).reduce((n, s) => n + s.gzip, 0);
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
for (const [f, s] of Object.entries(sizes)) console.log(`${f.padEnd(20)} ${kb(s.raw).padStart(10)} ${kb(s.gzip).padStart(10)} gzipped`);
console.log(`engine wasm: ${kb(wasm)} gzipped (budget ${kb(WASM_LIMIT)})`);
console.log(`first load:  ${kb(total)} gzipped (budget ${kb(TOTAL_LIMIT)})`);
const out = process.argv.indexOf("--json");
if (out > 0) writeFileSync(process.argv[out + 1], JSON.stringify({ wasmGzip: wasm, totalGzip: total, files: sizes }, null, 2));
let ok = true;
if (wasm > WASM_LIMIT) (console.error(`FAIL: the engine wasm is over budget (${kb(wasm)} > ${kb(WASM_LIMIT)})`), (ok = false));
if (total > TOTAL_LIMIT) (console.error(`FAIL: the first load is over budget (${kb(total)} > ${kb(TOTAL_LIMIT)})`), (ok = false));
process.exit(ok ? 0 : 1);
