// End-to-end: the built site served under a course's path, as a teacher's web host or an LMS
// serves it (every URL the site uses is relative). The home screen, a lesson opened from it, a
// deep link and the browser's back button all work there, and nothing is fetched outside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveDist, launchChromium, openWatched, VIEWPORTS } from "./harness.mjs";

test("the site under /courses/comps381f/socketlab/: home, a lesson, a deep link and back", async () => {
  const site = await serveDist(undefined, { prefix: "/courses/comps381f/socketlab/" });
  const chrome = await launchChromium();
  try {
    const w = await openWatched(chrome.browser, site.url, VIEWPORTS.phone);
    const page = w.page;
    const outside = [];
    page.on("request", (r) => {
      if (!new URL(r.url()).pathname.startsWith("/courses/comps381f/socketlab/") && !r.url().startsWith("data:")) outside.push(r.url());
    });
    await page.goto(site.url);
    await page.locator("#boot-message").waitFor({ state: "detached" });
    await page.getByRole("link", { name: /A new socket for each connection/ }).tap();
    await page.getByText("Lesson 5 · Step 1 of 2").waitFor();
    assert.equal(new URL(page.url()).pathname, "/courses/comps381f/socketlab/", "the address keeps the course's path");
    await page.locator(".stage-svg").waitFor();
    await page.goBack();
    await page.getByRole("heading", { name: "Lessons" }).waitFor();
    await page.goto(`${site.url}?lesson=server-listens&step=2`);
    await page.getByText("Lesson 3 · Step 2 of 2").waitFor();
    assert.deepEqual(outside, [], "nothing is fetched outside the course's path");
    assert.deepEqual(await w.problems(), []);
    await w.context.close();
  } finally {
    await chrome.close();
    await site.close();
  }
});
