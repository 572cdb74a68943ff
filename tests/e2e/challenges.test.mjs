// End-to-end: "What's wrong?" on a phone, by touch. For each kind of fault, a teacher's link (its
// seed) opens the same fault; the learner watches, names the cause (a wrong cause first, which
// gets feedback about what that fault would have shown), fixes it with the one control a user
// has, and the simulation's goals decide. Home then counts the attempts and the passes. A new
// attempt draws another fault, and a fix cannot be seen before its diagnosis is answered.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { challengeSeeds, homeDrawn, sharedSite, openWatched, VIEWPORTS } from "./harness.mjs";

const env = sharedSite();
const KEY = "socketlab.progress.v1";

async function feedback(page) {
  const box = page.locator(".feedback");
  await box.waitFor();
  return (await box.textContent()).trim();
}

describe("what's wrong? on a phone", () => {
  test("one challenge of each kind of fault: diagnosed and fixed by touch, the goals decide", { timeout: 180_000 }, async () => {
    const { lesson, names, seeds } = challengeSeeds();
    assert.equal(seeds.length, 6, "six kinds of fault");
    const w = await openWatched(env.chrome.browser, env.site.url, { ...VIEWPORTS.phone, hasTouch: true });
    try {
      const page = w.page;
      for (const { fault, seed, fix, wrong } of seeds) {
        const where = `${fault} (seed ${seed})`;
        await page.goto(`${env.site.url}?lesson=${lesson.id}&seed=${seed}`);
        await page.getByText("Lesson 17 · Step 1 of 3").waitFor();
        // The address keeps the seed, and the page says it, for a teacher to share.
        assert.match(page.url(), new RegExp(`seed=${seed}`), where);
        await page.getByText(`Fault number ${seed}.`).waitFor();
        await page.getByRole("link", { name: "Next →" }).tap();
        await page.getByText("Lesson 17 · Step 2 of 3").waitFor();
        // The scene has played to its end: the stage and the tables show what happened.
        await page.locator(".question h3", { hasText: "What is wrong?" }).waitFor();
        const causes = page.locator(".question .choices .choice");
        assert.equal(await causes.count(), 6, `${where}: every cause is offered`);
        // A wrong cause: not right, and what that fault would have shown.
        await page.locator(".question .choices").getByRole("button", { name: names[wrong], exact: true }).tap();
        const said = await feedback(page);
        assert.match(said, /^✗ Not quite\./, `${where}: ${said}`);
        assert.ok(said.length > 60, `${where}: says why: ${said}`);
        await page.locator(".question .choices").getByRole("button", { name: names[fault], exact: true }).tap();
        assert.match(await feedback(page), /^✓ Right\./, where);
        await page.locator(".question .explain").waitFor();
        await page.getByRole("link", { name: "Next →" }).tap();
        await page.getByText("Lesson 17 · Step 3 of 3").waitFor();
        // The one control; as it is, the setup still fails.
        const control = page.locator(".question [name=control-0]");
        await control.waitFor();
        await page.getByRole("button", { name: "Run it" }).tap();
        assert.match(await feedback(page), /^✗ Not quite\. /, `${where}: unchanged, it still fails`);
        if (fix === "off" || fix === "on") await control.setChecked(fix === "on");
        else if ((await control.evaluate((e) => e.tagName)) === "SELECT") await control.selectOption(fix);
        else {
          await control.tap();
          await control.fill(fix);
        }
        await page.getByRole("button", { name: "Run it" }).tap();
        assert.match(await feedback(page), /^✓ Right\./, `${where}: fixed`);
      }
      // Home: six attempts, six passed, no hints; the lesson counts as done.
      await page.getByRole("link", { name: "Finish: all lessons" }).tap();
      await homeDrawn(page);
      const card = page.locator(".lesson-card", { hasText: lesson.title });
      assert.match(await card.locator(".lesson-state").textContent(), /Attempts: 6 · passed: 6 · hints used: 0/);
      assert.ok(await card.evaluate((e) => e.classList.contains("done")));
      const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
      const { started, passed, hints, best, earlier, closed } = stored.lessons[lesson.id].challenge;
      assert.deepEqual({ started, passed, hints, best }, { started: 6, passed: 6, hints: 0, best: 75 }, "each attempt's diagnosis took one wrong try");
      assert.deepEqual(earlier, seeds.slice(0, 5).map(({ seed }) => seed), "the attempts before the last");
      assert.deepEqual(closed, seeds.map(({ seed }) => seed), "each attempt passed");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("a new attempt draws another fault; a fix waits for its diagnosis; a hint counts", async () => {
    const { lesson, seeds } = challengeSeeds();
    const w = await openWatched(env.chrome.browser, env.site.url, { ...VIEWPORTS.phone, hasTouch: true });
    try {
      const page = w.page;
      // No seed in the address: one is drawn, and the address says it.
      await page.goto(`${env.site.url}?lesson=${lesson.id}`);
      await page.getByText("Lesson 17 · Step 1 of 3").waitFor();
      const first = new URL(page.url()).searchParams.get("seed");
      assert.match(first ?? "", /^\d+$/);
      // The fix, before the diagnosis: it waits, and does not show its control.
      await page.goto(`${env.site.url}?lesson=${lesson.id}&seed=${seeds[0].seed}&step=3`);
      await page.getByText("Answer the question before this one first").waitFor();
      assert.equal(await page.locator(".question [name=control-0]").count(), 0);
      // A hint, then another fault.
      await page.goto(`${env.site.url}?lesson=${lesson.id}&seed=${seeds[0].seed}&step=2`);
      await page.getByRole("button", { name: /Show a hint/ }).tap();
      await page.locator(".hints li").waitFor();
      await page.getByRole("link", { name: "Try another fault" }).tap();
      await page.getByText("Lesson 17 · Step 1 of 3").waitFor();
      const next = new URL(page.url()).searchParams.get("seed");
      assert.notEqual(next, String(seeds[0].seed));
      await page.getByText(`Fault number ${next}.`).waitFor();
      const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
      const c = stored.lessons[lesson.id].challenge;
      assert.equal(c.seed, Number(next));
      assert.equal(c.started, 3);
      assert.equal(c.hints, 1, "the hint of the attempt before is kept");
      // The browser's Back: the attempt before, taken up again, is not a new one.
      await page.goBack();
      await page.getByText(`Fault number ${seeds[0].seed}.`).waitFor();
      await page.getByText("Lesson 17 · Step 2 of 3").waitFor();
      const back = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY)).lessons[lesson.id].challenge;
      assert.equal(back.seed, seeds[0].seed);
      assert.equal(back.started, 3, "no new attempt");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});
