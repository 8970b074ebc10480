// Live-preview check: open the `explainer serve` page in headless Debian Chromium, edit the
// findings file, and time how long until the patient leaflet on the page shows the edit; then
// save a broken file and check that its error shows while the last good preview stays.
//
// Usage: node tests/browser/serve_check.mjs URL FINDINGS OLD_TEXT NEW_TEXT BROKEN_LINE
// Prints one JSON object on stdout. Only the preview's own loopback origin may load.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const [url, findings, oldText, newText, brokenLine] = process.argv.slice(2);
const origin = new URL(url).origin;
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function frameText(page, id) {
  return page.evaluate((fid) => {
    const doc = document.getElementById(fid).contentDocument;
    return doc && doc.body ? doc.body.innerText : "";
  }, id);
}

async function until(what, fn, timeoutMs = 10000) {
  const start = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: FLAGS });
const out = { blocked: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + "/") || u.startsWith("data:") || u === "about:blank") return route.continue();
    out.blocked.push(u);
    return route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  await until("first preview", async () => (await frameText(page, "frame-patient")).includes(oldText));
  out.loaded = true;
  out.panes = await page.locator(".pane").count();
  out.rows = await page.locator("#rows tbody tr").count();
  out.problemItems = await page.locator("#problems li").count();
  // The preview page itself meets WCAG 2.2 AA (axe-core, as for the outputs). The page's CSP
  // allows only its own scripts, so axe is evaluated through the debugging protocol.
  await page.evaluate(readFileSync(AXE, "utf8"));
  out.axe = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  }, TAGS);

  const good = readFileSync(findings, "utf8");
  const edited = good.replace(oldText, newText);
  writeFileSync(findings, edited);
  out.editMs = await until("edit to show", async () => (await frameText(page, "frame-patient")).includes(newText));

  writeFileSync(findings, edited + "\n" + brokenLine + "\n");
  out.errorMs = await until("error to show", async () => page.locator("#error").isVisible());
  out.errorText = await page.locator("#error-list").innerText();
  out.keptPreview = (await frameText(page, "frame-patient")).includes(newText);

  // Narrow screen: tabs instead of three columns.
  await page.setViewportSize({ width: 400, height: 800 });
  out.tabsVisible = await page.locator(".tabs").isVisible();
  out.visiblePanes = await page.locator(".pane:visible").count();
  await page.locator('.tabs button[data-tab="press"]').click();
  out.pressShown = await page.locator("#pane-press").isVisible();

  writeFileSync(findings, edited);
  out.recoverMs = await until("error to clear", async () => !(await page.locator("#error").isVisible()));
} catch (e) {
  out.failure = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
