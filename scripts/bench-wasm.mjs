// Cold builds of gallery examples in the page's own engine (www/dist, wasm-opt'd), run
// in Node outside the browser: the engine's time without the page around it.
// Usage (after `bash scripts/serve.sh` or `node www/scripts/build.mjs` built www/dist):
//   node scripts/bench-wasm.mjs [lean|full] [EXAMPLE...]
// Examples come from ../shared/examples when it exists, else from www/examples.
// Each build is a new Session (empty store and cache), 9 rounds. The first round is also the
// engine's first build of the example (its memos of simulated outputs and digests are empty:
// see crate/memo.rs) and is printed on its own; median and best are of the other rounds.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flavor = args[0] === "lean" || args[0] === "full" ? args.shift() : "full";
const [pkg, wasm] = flavor === "full" ? ["pkg-full", "dfplay-full_bg.wasm"] : ["pkg", "dfplay_bg.wasm"];
const wasmPath = join(root, "www/dist", wasm);
if (!existsSync(wasmPath)) {
  console.error(`${wasmPath} is missing: build the page first (node www/scripts/build.mjs)`);
  process.exit(2);
}
const engine = await import(join(root, "www", pkg, "dfplay.js"));
engine.initSync({ module: readFileSync(wasmPath) });

const shared = join(root, "../shared/examples");
const examples = existsSync(shared) ? shared : join(root, "www/examples");
const names = args.length ? args : ["multi-stage", "image-gallery", "apache-web"];

/** The example's files as the page sends them (all files but expected.txt, mtime 0). */
function request(name) {
  const dir = join(examples, name);
  const files = [];
  const walk = (rel) => {
    for (const f of readdirSync(join(dir, rel))) {
      const p = rel ? `${rel}/${f}` : f;
      if (p === "expected.txt") continue;
      const st = statSync(join(dir, p));
      if (st.isDirectory()) walk(p);
      else files.push({ path: p, kind: "file", mode: st.mode & 0o777, data: new Uint8Array(readFileSync(join(dir, p))), target: "", mtime: 0 });
    }
  };
  walk("");
  return { files, dockerfile: "Dockerfile", tags: [], target: "", buildArgs: [], noCache: false };
}

console.log(`engine: ${flavor} (${wasmPath}), examples from ${examples}`);
for (const name of names) {
  const req = request(name);
  const times = [];
  for (let i = 0; i < 9; i++) {
    const s = new engine.Session();
    const t0 = performance.now();
    try {
      s.build(req, () => {});
    } catch (e) {
      console.log(`${name}: the build failed: ${e?.message ?? e}`);
      break;
    } finally {
      times.push(performance.now() - t0);
      s.free();
    }
  }
  const first = times.shift();
  times.sort((a, b) => a - b);
  const rest = times.length ? `, then median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, best ${times[0].toFixed(1)} ms (${times.length} rounds)` : "";
  console.log(`${name}: cold build, first ${first.toFixed(1)} ms${rest}`);
}
