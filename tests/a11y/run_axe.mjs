// Accessibility harness: open each HTML file in headless Debian Chromium and report, as JSON
// on stdout, what axe-core finds (WCAG 2.0/2.1/2.2 A and AA), whether a 360 px wide screen
// scrolls sideways, what the browser's own print of the page looks like, and any request
// that tried to leave file:/data: (all such requests are blocked), and any breach of the
// page's Content-Security-Policy.
//
// Usage: node tests/a11y/run_axe.mjs OUT_DIR FILE.html [FILE.html ...]
// Chromium is driven by playwright-core over --remote-debugging-pipe: no TCP port is opened.
// It never downloads a browser; CHROMIUM (default /usr/bin/chromium) is the one launched.

import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE = require.resolve("axe-core/axe.min.js");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  // Belt and braces: even a request that slipped past the route guard resolves nowhere.
  "--host-resolver-rules=MAP * ~NOTFOUND",
];

async function axe(page) {
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  }, TAGS);
}

async function check(context, file, outDir) {
  const blocked = [];
  const page = await context.newPage();
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  // The pages carry a Content-Security-Policy that forbids every script: axe-core comes in
  // as an init script (the browser's own, which the page's policy does not govern), and any
  // violation the page's own content causes is recorded.
  await page.addInitScript({ path: AXE });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
  const wide = await axe(page);
  const csp = await page.evaluate(() => window.__cspViolations);

  // Reflow (WCAG 1.4.10): 320 CSS px is the criterion; 360 px is a common phone.
  await page.setViewportSize({ width: 360, height: 740 });
  const scrollWidth = await page.evaluate(() => document.scrollingElement.scrollWidth);
  const narrow = await axe(page);

  // The browser's own print: print media, then a PDF at the page's CSS @page size.
  await page.emulateMedia({ media: "print" });
  const print = await page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return {
      bodyFontSize: body.fontSize,
      lineHeight: body.lineHeight,
      scrollWidth: document.scrollingElement.scrollWidth,
      clientWidth: document.scrollingElement.clientWidth,
      firstText: document.body.innerText.trim().split("\n")[0],
      textAlign: [...new Set([...document.querySelectorAll("main p, main li, main dd")]
        .map((e) => getComputedStyle(e).textAlign))].sort(),
    };
  });
  const pdfPath = join(outDir, basename(file).replace(/\.html$/, "") + ".chromium.pdf");
  writeFileSync(pdfPath, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  await page.close();

  const seen = new Set();
  const violations = [...wide, ...narrow].filter((v) => {
    const key = v.id + v.nodes.map((n) => n.target).join("|");
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { file, violations, scrollWidth, print, pdf: pdfPath, blocked, csp };
}

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  console.error("usage: node run_axe.mjs OUT_DIR FILE.html [FILE.html ...]");
  process.exit(2);
}
// launch() gives Chromium a fresh temporary --user-data-dir of its own and removes it after.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: FLAGS,
  headless: true,
});
try {
  const context = await browser.newContext({ javaScriptEnabled: true, offline: true });
  const results = [];
  for (const file of files) results.push(await check(context, file, outDir));
  console.log(JSON.stringify({ browser: browser.version(), axe: require("axe-core/package.json").version, results }));
} finally {
  await browser.close();
}
