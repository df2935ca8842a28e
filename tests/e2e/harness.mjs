// The end-to-end harness: serves www/dist under a sub-path with the page's own static
// server, drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser)
// through playwright-core with a fresh profile per scenario, and reports each scenario
// as passed or failed (a scenario needing an engine feature the engine lacks fails).

import { createRequire } from "node:module";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const OUT = join(ROOT, "tests/e2e/out");
const require = createRequire(join(ROOT, "www/package.json"));
const { chromium } = require("playwright-core");
const { startServer } = await import(join(ROOT, "www/scripts/serve.mjs"));

export const CHROMIUM = process.env.DFPLAY_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SUB_PATH = "/some/sub/path/";

/** `../shared` (or $DFPLAY_SHARED), or null with a note; required when DFPLAY_REQUIRE_SHARED=1. */
export function shared() {
  const p = process.env.DFPLAY_SHARED ?? join(ROOT, "../shared");
  if (existsSync(join(p, "examples"))) return p;
  if (process.env.DFPLAY_REQUIRE_SHARED === "1") throw new Error(`DFPLAY_REQUIRE_SHARED=1 but ${p} is missing`);
  return null;
}

/** The facts of an example's expected.txt, by kind (`step`, `header`, `run-stdout` …). */
export function expected(name) {
  const s = shared();
  if (!s) return null;
  const facts = {};
  for (const line of readFileSync(join(s, "examples", name, "expected.txt"), "utf8").split("\n")) {
    const m = /^([a-z-]+): (.*)$/.exec(line);
    if (m) (facts[m[1]] ??= []).push(m[2]);
  }
  return facts;
}

const scenarios = [];

/** Declares a scenario; `needs` lists engine features (EngineInfo.features) it waits for. */
export function scenario(name, opts, fn) {
  scenarios.push({ name, needs: opts.needs ?? [], fn });
}

export class Failure extends Error {}

export function check(cond, message) {
  if (!cond) throw new Failure(message);
}

/** Runs every declared scenario (or those whose name contains $E2E_ONLY). */
export async function runAll() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const { server, url } = await startServer({ dir: join(ROOT, "www/dist"), base: SUB_PATH });
  const metrics = {};
  const profiles = [];
  const contexts = [];

  async function newContext(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), "dfplay-e2e-"));
    profiles.push(dir);
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
      locale: options.locale ?? "en-US",
      colorScheme: options.colorScheme ?? "light",
      permissions: ["clipboard-read", "clipboard-write"],
    });
    contexts.push(ctx);
    return ctx;
  }

  /** Opens the page in a context, waits for the engine, and watches for page errors. */
  async function open(ctx, path = "") {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && page.errors.push(m.text()));
    page.requests = [];
    page.on("request", (r) => page.requests.push(r.url()));
    await page.goto(url + path);
    await page.waitForFunction(() => window.dfplay?.engine?.status === "ready", null, { timeout: 30_000 });
    return page;
  }

  // What the engine of this build offers decides which scenarios run.
  const probe = await newContext();
  const probePage = await open(probe);
  const features = await probePage.evaluate(() => window.dfplay.engine.info.features);
  await probe.close();
  console.log(`engine features: ${features.join(", ")}`);
  console.log(`page: ${url}`);

  let passed = 0;
  let failed = 0;
  const only = process.env.E2E_ONLY;
  for (const s of scenarios) {
    if (only && !s.name.includes(only)) continue;
    const missing = s.needs.filter((f) => !features.includes(f));
    if (missing.length) {
      // every feature a scenario names is one the engine must have: a missing one fails
      console.log(`FAILED: ${s.name} — the engine lacks ${missing.join(", ")}`);
      failed++;
      continue;
    }
    const started = Date.now();
    const shot = async (page, name) => page.screenshot({ path: join(OUT, `${name}.png`) });
    try {
      await s.fn({ newContext, open, shot, url, metrics, features });
      console.log(`ok: ${s.name} (${Date.now() - started} ms)`);
      passed++;
    } catch (e) {
      console.log(`FAILED: ${s.name}\n  ${(e instanceof Failure ? e.message : e.stack ?? String(e)).replace(/\n/g, "\n  ")}`);
      failed++;
      for (const ctx of contexts) for (const p of ctx.pages()) await p.screenshot({ path: join(OUT, `FAILED-${s.name.replace(/\W+/g, "_")}.png`) }).catch(() => {});
    } finally {
      for (const ctx of contexts.splice(0)) await ctx.close().catch(() => {});
    }
  }
  server.close();
  for (const d of profiles) rmSync(d, { recursive: true, force: true });
  writeFileSync(join(OUT, "metrics.json"), JSON.stringify(metrics, null, 2));
  for (const [k, v] of Object.entries(metrics)) console.log(`metric: ${k} = ${v}`);
  console.log(`\ne2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}
