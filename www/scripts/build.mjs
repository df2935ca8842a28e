#!/usr/bin/env node
// Builds the playground into www/dist/: the engine to WebAssembly (cargo, profile
// `wasm`), twice — the lean engine the page starts with (`--no-default-features`) and
// the full one it loads on first use (feature `full`: the toolchain simulations and the
// larger shell programs) — their bindings (wasm-bindgen --target web), optimised
// (wasm-opt -Oz from the npm package binaryen), the page and one worker per engine
// bundled with esbuild, the static files and the examples (www/examples →
// examples.json). Every URL in the output is relative, so dist/ works from any
// sub-path of any static host.
//
//   node scripts/build.mjs [--skip-wasm] [--no-check] [--dev]

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const www = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(www, "..");
const dist = join(www, "dist");
const pkg = join(www, "pkg");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");

const step = (msg) => console.error(`\x1b[1m==> ${msg}\x1b[0m`);
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { stdio: "inherit", cwd: root, ...opts });

// 1. The engines as WebAssembly, and their bindings: pkg/ (lean) and pkg-full/.
const ENGINES = [
  { pkg, features: ["--no-default-features"], wasm: "dfplay_bg.wasm", worker: "worker" },
  { pkg: join(www, "pkg-full"), features: [], wasm: "dfplay-full_bg.wasm", worker: "worker-full" },
];
for (const e of ENGINES) {
  if (args.has("--skip-wasm") && existsSync(join(e.pkg, "dfplay_bg.wasm"))) continue;
  step(`cargo: the ${e.worker === "worker" ? "lean" : "full"} engine for wasm32-unknown-unknown (profile wasm)`);
  run("cargo", ["rustc", "--lib", "--profile", "wasm", "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib", "--quiet", ...e.features], {
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "2" },
  });
  step("wasm-bindgen --target web");
  rmSync(e.pkg, { recursive: true, force: true });
  run("wasm-bindgen", ["--target", "web", "--out-dir", e.pkg, "--out-name", "dfplay", join(root, "target/wasm32-unknown-unknown/wasm/dfplay.wasm")]);
}

// The page's TypeScript is type-checked against the bindings' declarations (esbuild
// only strips types).
if (!args.has("--no-check")) {
  step("tsc --noEmit");
  run(join(www, "node_modules/.bin/tsc"), ["--noEmit", "-p", www]);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// 2. wasm-opt -Oz (binaryen from npm; Debian's is too old for today's Rust output).
step("wasm-opt -Oz");
const features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];
for (const e of ENGINES) {
  run(join(www, "node_modules/.bin/wasm-opt"), [dev ? "-O1" : "-Oz", ...features, "--strip-debug", "--strip-producers", join(e.pkg, "dfplay_bg.wasm"), "-o", join(dist, e.wasm)]);
}

// 3. The page and the worker.
step("esbuild: page, workers, styles");
const bundle = (entryPoints, extra = {}) =>
  esbuild.build({
    absWorkingDir: www,
    entryPoints,
    outdir: dist,
    bundle: true,
    format: "esm",
    target: ["es2022", "chrome100", "firefox100", "safari15"],
    minify: !dev,
    sourcemap: dev ? "inline" : false,
    legalComments: "none",
    logLevel: "warning",
    ...extra,
  });
await bundle({ main: "src/main.ts" });
for (const e of ENGINES) {
  // the worker imports ../pkg/dfplay.js: point it at this engine's bindings
  const bindings = { name: "engine-bindings", setup: (b) => b.onResolve({ filter: /\/pkg\/dfplay\.js$/ }, () => ({ path: join(e.pkg, "dfplay.js") })) };
  await bundle({ [e.worker]: "src/worker.ts" }, { define: { ENGINE_WASM: JSON.stringify(`./${e.wasm}`) }, plugins: [bindings] });
}
await esbuild.build({ absWorkingDir: www, entryPoints: { main: "src/styles.css" }, outdir: dist, bundle: true, minify: !dev, logLevel: "warning" });

// 4. Static files.
for (const f of readdirSync(join(www, "static"))) copyFileSync(join(www, "static", f), join(dist, f));

// 5. The examples gallery: every folder of www/examples, text as text, other bytes as base64.
step("examples.json");
function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}
const examples = readdirSync(join(www, "examples"))
  .filter((n) => statSync(join(www, "examples", n)).isDirectory())
  .sort()
  .map((name) => {
    const base = join(www, "examples", name);
    const files = walk(base).map((p) => {
      const bytes = readFileSync(p);
      const mode = statSync(p).mode & 0o111 ? 0o755 : 0o644;
      const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
      const exact = Buffer.from(text, "utf-8").equals(bytes);
      return { path: relative(base, p).split("\\").join("/"), mode, ...(exact ? { text } : { base64: bytes.toString("base64") }) };
    });
    return { name, files };
  });
writeFileSync(join(dist, "examples.json"), JSON.stringify(examples));

// 6. Sizes.
let total = 0;
for (const f of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.error(`   ${f.padEnd(20)} ${String(bytes.length).padStart(9)} B  ${String(gz).padStart(8)} B gzipped`);
}
console.error(`   ${"total".padEnd(20)} ${"".padStart(9)}    ${String(total).padStart(8)} B gzipped`);
step(`built ${relative(process.cwd(), dist) || "."}`);
