// Shared by the real-client tests: the built example site, a tiny static
// server on 127.0.0.1 and a headless Chromium. No dependencies beyond Node's
// own modules and playwright-core.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the example site lives there). */
export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");

/** The day the example content was written for. */
export const NOW = "2026-11-23";

/**
 * The built example site. `SHIPDATE_SITE` names either a built site (the Rust
 * harness, tests/real_clients.rs, passes the one it built) or a site to build
 * (a folder with shipdate.yaml, such as `shipdate init DIR --example` writes).
 * Without it: `shipdate init --example` into a temp folder (the example with
 * its git history, so slips, tombstones and the changes page show), then one
 * `build`, both through `cargo run --release`.
 */
export function siteDir() {
  const given = process.env.SHIPDATE_SITE;
  if (given && !existsSync(join(given, "shipdate.yaml"))) return given;
  const tmp = mkdtempSync(join(tmpdir(), "shipdate-site-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
  const shipdate = (args, stderr = "inherit") =>
    execFileSync("cargo", ["run", "--release", "--quiet", "--", ...args], {
      cwd: REPO,
      stdio: ["ignore", "ignore", stderr],
    });
  let root = given;
  if (!root) {
    root = join(tmp, "example");
    // Its report ("cd … && shipdate serve") is not for this run; a failure still throws with it.
    shipdate(["init", root, "--example"], "pipe");
  }
  const out = join(tmp, "site");
  shipdate(["build", "--root", root, "--now", NOW, "--output", out, "--quiet"]);
  return out;
}

/** Every file below `dir`, as `/`-separated paths relative to it, sorted. */
export function files(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!ext || name.endsWith(ext)) out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".ics": "text/calendar; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves `dir` read-only on 127.0.0.1 (a folder URL serves its index.html). */
export async function serve(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Debian's Chromium; the machine cannot download Playwright's own build. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Launch flags that keep Chromium off the (closed) network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts headless Chromium through playwright-core. */
export async function launch() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
