// The built example site in headless Chromium: every page loads cleanly, no
// link or asset is broken, calendar filters work with and without JavaScript,
// dark and mobile layouts hold, and axe-core finds no serious problems.
// Run: `node --test tests/browser/` (tests/real_clients.rs does it under `cargo test`).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { REPO, files, launch, serve, siteDir } from "./support.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = join(REPO, "target", "screenshots");

/** The pages people look at most; axe, layout and screenshots run on these. */
const MAIN_PAGES = [
  ["dashboard", "internal/index.html"],
  ["release", "internal/releases/payments-api-v3/index.html"],
  ["calendar", "internal/calendar/index.html"],
  ["calendar-month", "internal/calendar/2026-12/index.html"],
  ["metrics", "internal/metrics/index.html"],
  ["changes", "internal/changes/index.html"],
  ["teams", "internal/teams/index.html"],
  ["team", "internal/teams/checkout/index.html"],
  ["changelog", "external/index.html"],
  ["product-changelog", "external/products/checkout/index.html"],
  ["public-release", "external/releases/tap-to-pay/index.html"],
  ["roadmap", "external/roadmap/index.html"],
  ["public-calendar", "external/calendar/index.html"],
];
const SCREENSHOTS = ["dashboard", "release", "calendar-month", "metrics", "changelog"];

let dir;
let server;
let browser;

before(async () => {
  dir = siteDir();
  server = await serve(dir);
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page that records console errors, page errors and failed requests. */
async function watchedPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // Only the local server may be asked for anything.
  await context.route("**/*", (route) =>
    route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
  );
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  return { context, page, problems };
}

/** The site folder (`internal/` or `external/`) a path belongs to. */
const siteOf = (path) => path.split("/")[0] + "/";

describe("every page", () => {
  test("loads with no console errors and no failed requests", async () => {
    const pages = files(dir, ".html");
    assert.ok(pages.length > 20, `only ${pages.length} pages`);
    const { context, page, problems } = await watchedPage();
    const failures = [];
    for (const path of pages) {
      problems.length = 0;
      const response = await page.goto(server.url + path, { waitUntil: "load" });
      assert.equal(response.status(), 200, path);
      if (problems.length) failures.push(`${path}:\n  ${problems.join("\n  ")}`);
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join("\n"));
  });

  test("has no broken internal links, anchors or assets", async () => {
    const pages = files(dir, ".html");
    const { context, page } = await watchedPage({ javaScriptEnabled: false });
    const broken = [];
    let checked = 0;
    for (const path of pages) {
      await page.goto(server.url + path);
      const refs = await page.$$eval("a[href], link[href], script[src], img[src]", (els) =>
        els.map((e) => ({
          tag: e.tagName.toLowerCase(),
          raw: e.getAttribute("href") ?? e.getAttribute("src"),
          url: e.href ?? e.src,
        })),
      );
      for (const { tag, raw, url } of refs) {
        // Absolute URLs point elsewhere (wikis, webcal); everything of ours is relative.
        if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith("//")) continue;
        checked++;
        const target = new URL(url);
        const local = target.pathname.slice(1);
        if (!url.startsWith(server.url + siteOf(path))) {
          broken.push(`${path}: <${tag}> ${raw} leaves the ${siteOf(path)} site`);
          continue;
        }
        const file = decodeURIComponent(local.endsWith("/") || local === "" ? `${local}index.html` : local);
        if (!existsSync(join(dir, file))) {
          broken.push(`${path}: <${tag}> ${raw} → ${file} does not exist`);
          continue;
        }
        const anchor = decodeURIComponent(target.hash.slice(1));
        if (anchor && file.endsWith(".html")) {
          const html = readFileSync(join(dir, file), "utf8");
          if (!html.includes(`id="${anchor}"`)) broken.push(`${path}: ${raw} → no id="${anchor}" in ${file}`);
        }
      }
    }
    await context.close();
    assert.ok(checked > 500, `only ${checked} links checked`);
    assert.deepEqual(broken, [], broken.join("\n"));
  });
});

describe("calendar filters", () => {
  const AGENDA = "internal/calendar/index.html";
  const EVENTS = "section.filterable > ol.agenda > li.event";
  const nth = (page, i) => page.locator(EVENTS).nth(i);

  /**
   * An upcoming event (`target`) with the fewest teams, and one (`other`, not a
   * notification) that involves a team outside them: unchecking the target's
   * teams must hide it and keep the other.
   */
  async function pick(page) {
    return page.$$eval(EVENTS, (els) => {
      const teams = (e) => [...e.classList].filter((c) => c.startsWith("t-")).map((c) => c.slice(2));
      const sorted = els.map((e, i) => [teams(e).length, i]).sort((a, b) => a[0] - b[0]);
      for (const [, target] of sorted) {
        const mine = teams(els[target]);
        const other = els.findIndex(
          (x) => !x.classList.contains("k-notification") && teams(x).some((t) => !mine.includes(t)),
        );
        if (other >= 0) return { teams: mine, target, other };
      }
      return {};
    });
  }

  for (const javaScriptEnabled of [true, false]) {
    test(`unchecking a team or kind hides its events (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const { context, page, problems } = await watchedPage({ javaScriptEnabled });
      await page.goto(server.url + AGENDA);
      const { teams, target, other } = await pick(page);
      assert.ok(teams, "the example has upcoming events of different teams");
      assert.ok(await nth(page, target).isVisible());
      for (const [i, team] of teams.entries()) {
        await page.uncheck(`#ft-${team}`);
        const last = i === teams.length - 1;
        // An event shows while any of its teams is still checked.
        assert.equal(await nth(page, target).isVisible(), !last, `after unchecking ${teams.slice(0, i + 1)}`);
      }
      assert.ok(await nth(page, other).isVisible(), "other teams' events stay");
      const query = new URL(page.url()).searchParams;
      if (javaScriptEnabled) {
        const kept = query.get("team")?.split(",") ?? [];
        assert.ok(kept.length > 0 && teams.every((t) => !kept.includes(t)), page.url());
      } else {
        assert.equal(query.toString(), "", "without JavaScript the address stays");
      }
      const notifications = page.locator(`${EVENTS}.k-notification`);
      assert.ok((await notifications.count()) > 0);
      await page.uncheck("#fk-notification");
      for (const n of await notifications.all()) assert.equal(await n.isVisible(), false);
      assert.ok(await nth(page, other).isVisible(), "other kinds stay");
      if (javaScriptEnabled) {
        const kinds = new URL(page.url()).searchParams.get("kind").split(",");
        assert.ok(!kinds.includes("notification") && kinds.includes("launch"), page.url());
      }
      for (const team of teams) await page.check(`#ft-${team}`);
      await page.check("#fk-notification");
      assert.ok(await nth(page, target).isVisible(), "checking again shows it");
      if (javaScriptEnabled) assert.equal(new URL(page.url()).search, "", "all checked: a clean address");
      await context.close();
      assert.deepEqual(problems, []);
    });
  }

  test("a shared ?team= address restores the selection on load", async () => {
    const { context, page, problems } = await watchedPage();
    await page.goto(`${server.url}${AGENDA}?team=mobile&kind=launch,milestone`);
    assert.equal(await page.isChecked("#ft-mobile"), true);
    assert.equal(await page.isChecked("#ft-checkout"), false);
    assert.equal(await page.isChecked("#fk-launch"), true);
    assert.equal(await page.isChecked("#fk-notification"), false);
    const visible = () =>
      page.locator(EVENTS).evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.className));
    const shown = await visible();
    assert.ok(shown.length > 0, "some mobile launches or milestones are upcoming");
    for (const c of shown) {
      assert.match(c, /\bt-mobile\b/);
      assert.match(c, /\bk-(launch|milestone)\b/);
    }
    await page.reload();
    assert.equal(await page.isChecked("#ft-checkout"), false, "reload keeps the selection");
    assert.deepEqual(await visible(), shown);
    await context.close();
    assert.deepEqual(problems, []);
  });

  test("month grids filter their event chips too", async () => {
    const { context, page, problems } = await watchedPage();
    await page.goto(server.url + "internal/calendar/2026-12/index.html");
    const visibleChips = () =>
      page.locator(".filterable .chip").evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.className));
    const before = await visibleChips();
    assert.ok(before.some((c) => / t-mobile\b/.test(c)) && before.some((c) => !/ t-mobile\b/.test(c)));
    for (const box of await page.locator('input[name="team"]').all()) {
      if ((await box.getAttribute("value")) !== "mobile") await box.uncheck();
    }
    const after = await visibleChips();
    assert.ok(after.length > 0 && after.length < before.length, `${after.length} of ${before.length}`);
    for (const c of after) assert.match(c, / t-mobile\b/);
    await context.close();
    assert.deepEqual(problems, []);
  });
});

describe("main pages", () => {
  for (const colorScheme of ["light", "dark"]) {
    test(`render in ${colorScheme} mode, fit a 390px phone and pass axe-core`, async () => {
      const failures = [];
      for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
        const mobile = viewport.width < 500;
        const { context, page, problems } = await watchedPage({
          colorScheme,
          viewport,
          ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
        });
        for (const [name, path] of MAIN_PAGES) {
          problems.length = 0;
          await page.goto(server.url + path);
          const where = `${path} (${colorScheme}, ${viewport.width}px)`;
          failures.push(...problems.map((p) => `${where}: ${p}`));
          const { overflow, background } = await page.evaluate(() => ({
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            background: getComputedStyle(document.body).backgroundColor,
          }));
          if (overflow > 0) failures.push(`${where}: the page is ${overflow}px wider than the screen`);
          const [r, g, b] = background.match(/\d+/g).map(Number);
          const dark = r + g + b < 3 * 80;
          if (dark !== (colorScheme === "dark")) failures.push(`${where}: background ${background}`);
          if (!mobile) {
            await page.addScriptTag({ content: AXE });
            const violations = await page.evaluate(async () => {
              const result = await window.axe.run(document, { resultTypes: ["violations"] });
              return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
              }));
            });
            for (const v of violations.filter((v) => ["serious", "critical"].includes(v.impact))) {
              failures.push(`${where}: axe ${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join("\n    ")}`);
            }
            if (SCREENSHOTS.includes(name)) {
              await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`) });
            }
          } else if (name === "calendar") {
            await page.screenshot({ path: join(SHOTS, `${name}-mobile-${colorScheme}.png`) });
          }
        }
        await context.close();
      }
      assert.deepEqual(failures, [], failures.join("\n"));
    });
  }
});

describe("pages people read", () => {
  test("the first changelog entry starts above the fold at 1366×900", async () => {
    const { context, page, problems } = await watchedPage({ viewport: { width: 1366, height: 900 } });
    for (const path of ["external/index.html", "external/products/checkout/index.html"]) {
      await page.goto(server.url + path);
      const title = page.locator(".changelog-entry h2").first();
      const box = await title.boundingBox();
      assert.ok(box, `${path}: a changelog entry`);
      assert.ok(box.y + box.height < 900, `${path}: the first entry's title ends at ${box.y + box.height}px`);
    }
    await context.close();
    assert.deepEqual(problems, []);
  });

  test("every time in the agenda, the month grid and the timeline names its zone", async () => {
    const { context, page, problems } = await watchedPage();
    const pages = [
      ["internal/calendar/index.html", ".event-time"],
      ["internal/index.html", ".event-time"],
      ["internal/teams/checkout/index.html", ".event-time"],
      ["internal/calendar/2026-12/index.html", ".chip-time"],
      ["internal/releases/payments-api-v3/index.html", ".timeline time"],
    ];
    const bad = [];
    for (const [path, selector] of pages) {
      await page.goto(server.url + path);
      const texts = await page.locator(selector).allTextContents();
      assert.ok(texts.length > 0, `${path}: no ${selector}`);
      const timed = texts.map((t) => t.trim()).filter((t) => /\d{1,2}:\d{2}/.test(t));
      assert.ok(timed.length > 0, `${path}: some ${selector} shows a clock time`);
      for (const t of timed) {
        // A clock time followed by a zone: EST, CET, CEST, UTC, or +03.
        if (!/\d{2}:\d{2} ([A-Z]{2,5}|[+-]\d{2,4})$/.test(t)) bad.push(`${path}: "${t}"`);
      }
      for (const t of texts.map((t) => t.trim()).filter((t) => !/\d{1,2}:\d{2}/.test(t))) {
        if (selector === ".event-time" && t !== "all day") bad.push(`${path}: "${t}"`);
      }
    }
    await context.close();
    assert.deepEqual(bad, [], bad.join("\n"));
    assert.deepEqual(problems, []);
  });

  test("no page type scrolls sideways at 390 px or 1366 px, nor hides a wide element", async () => {
    const failures = [];
    const extra = files(dir, ".html").filter((p) => /calendar\/\d{4}-\d{2}\/|products\/|series\/|trains\/|support\//.test(p));
    for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
      const { context, page } = await watchedPage({ viewport });
      for (const path of [...MAIN_PAGES.map(([, p]) => p), ...extra]) {
        await page.goto(server.url + path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) failures.push(`${path} (${viewport.width}px): ${overflow}px too wide`);
        // Month grids and release-page tables must fit too, not only scroll in their box.
        if (viewport.width < 500) {
          const clipped = await page.evaluate(() =>
            [...document.querySelectorAll(".month-grid, table.stack")]
              .filter((e) => e.scrollWidth > e.clientWidth + 1)
              .map((e) => e.className),
          );
          for (const c of clipped) failures.push(`${path} (390px): .${c} is wider than its box`);
          // An event's kind and time are never broken inside a word ("MILESTON E").
          const broken = await page.evaluate(() => {
            const out = [];
            for (const el of document.querySelectorAll(".event-kind, .event > time, .event-time")) {
              const node = el.firstChild;
              if (!node || node.nodeType !== Node.TEXT_NODE) continue;
              for (const m of node.data.matchAll(/\S+/g)) {
                const r = document.createRange();
                r.setStart(node, m.index);
                r.setEnd(node, m.index + m[0].length);
                if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) out.push(m[0]);
              }
            }
            return out;
          });
          for (const w of broken) failures.push(`${path} (390px): "${w}" is broken across lines`);
        }
      }
      await context.close();
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  });

  test("the dashboard starts with the triage list and fits 390 px and 1366 px", async () => {
    const failures = [];
    for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
      const { context, page, problems } = await watchedPage({ viewport });
      await page.goto(server.url + "internal/index.html");
      const where = `dashboard (${viewport.width}px)`;
      const facts = await page.evaluate(() => {
        const h1 = document.querySelector("main h1");
        const first = h1?.nextElementSibling;
        const list = document.querySelector("#triage .triage-list .triage-item");
        return {
          first: first ? `${first.tagName.toLowerCase()}#${first.id}` : "nothing",
          items: document.querySelectorAll("#triage .triage-item").length,
          listTop: list ? list.getBoundingClientRect().top + window.scrollY : Infinity,
          links: [...document.querySelectorAll("#triage .triage-item a")].map((a) => a.getAttribute("href")),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      if (facts.first !== "section#triage") failures.push(`${where}: after the h1 comes ${facts.first}`);
      if (facts.items < 5) failures.push(`${where}: only ${facts.items} triage items`);
      if (!(facts.listTop < viewport.height)) failures.push(`${where}: the first triage item starts at ${facts.listTop}px`);
      if (!facts.links.some((h) => /^\.\/releases\/[^/]+\/index\.html#gate-\d+$/.test(h))) {
        failures.push(`${where}: no overdue gate links to its row: ${facts.links}`);
      }
      if (!facts.links.some((h) => h.endsWith("#notify-h"))) failures.push(`${where}: no notification links to its table`);
      if (facts.overflow > 0) failures.push(`${where}: ${facts.overflow}px too wide`);
      failures.push(...problems.map((p) => `${where}: ${p}`));
      await context.close();
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  });

  test("phones see the release timeline dates on one line and more than the summary cards", async () => {
    const { context, page } = await watchedPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(server.url + "internal/releases/payments-api-v3/index.html");
    const heights = await page.locator(".timeline time").evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight || "20")),
    );
    assert.ok(heights.length > 0);
    assert.ok(Math.max(...heights) < 1.5, `a timeline date takes ${Math.max(...heights).toFixed(1)} lines`);
    await page.goto(server.url + "internal/index.html");
    const stats = await page.locator(".stats").boundingBox();
    assert.ok(stats.y + stats.height < 844 / 2, `the summary cards end at ${stats.y + stats.height}px`);
    await context.close();
  });
});
