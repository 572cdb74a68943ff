// End-to-end: a lesson embedded in another site's page (`?embed=1&lesson=ID`), as a teacher puts
// it in a course page. The parent page is on another origin; it listens for the frame's
// {subject: "lti.frameResize", height} messages, as Canvas and Moodle do, and sizes the frame.
// The frame grows to its content and grows again when the content does; the site's header and
// the links that leave the lesson are not shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { serveDist, launchChromium, VIEWPORTS } from "./harness.mjs";

/** A page on its own origin with `snippet` (the app's <iframe>) in it, resizing the frame as the
 * frame asks. */
async function parentPage(snippet) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,"></head>
<body><h1>Week 7: ports</h1>${snippet}
<script>
  window.heights = [];
  window.origins = [];
  addEventListener("message", (e) => {
    if (e.data && e.data.subject === "lti.frameResize") {
      heights.push(e.data.height);
      origins.push(e.origin);
      document.querySelector("iframe").style.height = e.data.height + "px";
    }
  });
</script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === "/") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  // "localhost" and "127.0.0.1" are different origins for the browser.
  return { url: `http://localhost:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** The frame's last requested height, once no new request came for half a second. */
async function settled(page) {
  let count = -1;
  for (;;) {
    const now = await page.evaluate(() => window.heights.length);
    if (now === count && now > 0) return page.evaluate(() => window.heights.at(-1));
    count = now;
    await page.waitForTimeout(500);
  }
}

test("a lesson's Embed gives a link and an iframe; on another origin's page the frame shows the lesson alone and grows with it", async () => {
  const site = await serveDist();
  const chrome = await launchChromium();
  let parent = null;
  try {
    const context = await chrome.browser.newContext(VIEWPORTS.phone);
    const page = await context.newPage();
    // The teacher's side: the lesson's "Embed this lesson" gives the link and the snippet.
    await page.goto(`${site.url}?lesson=three-clients&step=1`);
    await page.locator(".embed-this summary").click();
    const [link, snippet] = await page.locator(".embed-this code").allTextContents();
    assert.equal(link, `${site.url}?embed=1&lesson=three-clients`);
    assert.match(snippet, /^<iframe src="[^"]+\?embed=1&amp;lesson=three-clients" title="Socket Lab: Your Node\.js server on 8099, three clients" width="100%" height="800" style="border: 0" loading="lazy"><\/iframe>$/);
    parent = await parentPage(snippet.replace('height="800"', 'height="150"'));
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(parent.url);
    const frame = page.frameLocator("iframe");
    await frame.getByText("Lesson 7 · Step 1 of 3").waitFor();
    await page.waitForFunction(() => window.heights.length > 0 && window.heights.at(-1) > 400);
    const first = await settled(page);
    const box = await page.locator("iframe").boundingBox();
    assert.ok(Math.abs(box.height - first) < 2, `the parent sized the frame to ${first} px`);
    assert.deepEqual(
      [...new Set(await page.evaluate(() => window.origins))],
      [new URL(site.url).origin],
      "the messages come from the lesson's origin, another than the page's",
    );
    assert.equal(await frame.locator(".site-header").isVisible(), false, "no site header");
    assert.equal(await frame.getByRole("link", { name: "← All lessons" }).isVisible(), false, "no link away from the lesson");
    // The lesson grows (its "Try it on your machine" opens): the frame grows with it.
    await frame.locator(".try-it summary").click();
    await page.waitForFunction((h) => window.heights.at(-1) > h + 200, first);
    await settled(page);
    const grown = await page.locator("iframe").boundingBox();
    assert.ok(grown.height > box.height + 200, `the frame grew from ${box.height} to ${grown.height} px`);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await chrome.close();
    await parent?.close();
    await site.close();
  }
});
