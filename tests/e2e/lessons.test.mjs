// End-to-end: the lessons in the built site, at desktop and phone sizes. A learner opens a
// lesson from the home screen, answers by keyboard alone or by touch, and their progress
// survives a reload, an export and an import; damaged stored progress is reported and reset.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { lessonFiles, sharedSite, openWatched, homeDrawn, VIEWPORTS } from "./harness.mjs";

const env = sharedSite();

const KEY = "socketlab.progress.v1";

/** The app has taken over the static first screen. */
async function appReady(page) {
  await page.locator("#boot-message").waitFor({ state: "detached" });
}

/** Press Tab until the focused element's accessible text matches, at most `max` times. */
async function tabTo(page, pattern, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const text = await page.evaluate(() => {
      const el = document.activeElement;
      return `${el?.getAttribute("aria-label") ?? ""} ${el?.textContent ?? ""} ${el?.name ?? ""}`.trim();
    });
    if (pattern.test(text)) return;
  }
  throw new Error(`Tab never reached ${pattern}`);
}

async function feedback(page) {
  const box = page.locator(".feedback");
  await box.waitFor();
  return (await box.textContent()).trim();
}

async function axeClean(page, where) {
  const axe = await new AxeBuilder({ page }).analyze();
  const found = axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  assert.deepEqual(found, [], where);
}

for (const [name, options] of Object.entries(VIEWPORTS)) {
  describe(`lessons at ${name} size (${options.viewport.width}×${options.viewport.height})`, () => {
    test("lesson 5, by keyboard alone: fill in the table, predict the socket, finish", async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        await page.goto(env.site.url);
        await appReady(page);
        await tabTo(page, /A new socket for each connection/);
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { level: 2, name: "A new socket for each connection" }).waitFor();
        assert.match(page.url(), /\?lesson=new-socket-per-connection&step=1$/);
        // The question's table hides the cells it asks for.
        assert.equal(await page.locator(".question .socket-table td", { hasText: "10378" }).count(), 0, "the answer is hidden");
        // A wrong cell first: feedback about that cell, and the cell marked.
        await tabTo(page, /source_port/);
        await page.keyboard.type("10378");
        await page.keyboard.press("Tab");
        await page.keyboard.type("10378");
        await page.keyboard.press("Tab");
        await page.keyboard.type("192.168.1.101");
        await page.keyboard.press("Enter");
        assert.match(await feedback(page), /Not quite\. Source Port is not 10378: a socket's source is its own end/);
        assert.equal(await page.locator("input[name=source_port]").getAttribute("aria-invalid"), "true");
        // Put it right.
        await page.locator("input[name=source_port]").focus();
        await page.keyboard.press("Control+A");
        await page.keyboard.type("80");
        await page.keyboard.press("Enter");
        assert.match(await feedback(page), /^✓ Right\. Source Port: 80\. Destination Port: 10378\. Destination IP Addr: 192\.168\.1\.101\./);
        await tabTo(page, /^Next →$/);
        await page.keyboard.press("Enter");
        await page.getByText("Lesson 5 · Step 2 of 2").waitFor();
        // Predict: the listener is wrong, with a reason; the connection's socket is right.
        await tabTo(page, /^Server: Socket 1/);
        await page.keyboard.press("Enter");
        assert.match(await feedback(page), /Not quite\./);
        await tabTo(page, /^Server: Socket 2/);
        await page.keyboard.press("Enter");
        assert.match(await feedback(page), /^✓ Right\. The simulation agrees: .+/);
        // Why, now that it no longer gives anything away.
        assert.match(await page.locator(".question .explain").textContent(), /4-tuple/);
        // The socket that got it lights up in its table, and the scene plays on to the arrival
        // (0.6 s or so; the clock shows it once the scene is there, a few frames later).
        await page.locator(".socket-name[aria-pressed=true]").first().waitFor();
        await page.waitForFunction(() => /^0\.(6|7)\d\d s/.test(document.querySelector(".clock")?.textContent ?? ""), null, { timeout: 5000 });
        await tabTo(page, /^Finish: all lessons$/);
        await page.keyboard.press("Enter");
        await homeDrawn(page);
        const card = page.locator(".lesson-card", { hasText: "A new socket for each connection" });
        // Both right after a wrong try: said so, and scored so.
        assert.match(await card.locator(".lesson-state").textContent(), /Done, score 75: 2 after wrong tries\./);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });

    test("lesson 13's fix it, by touch: a wrong port first, then the right one", async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, { ...options, hasTouch: true });
      try {
        const page = w.page;
        await page.goto(env.site.url);
        await appReady(page);
        await page.getByRole("link", { name: /When it goes wrong: connection refused/ }).tap();
        await page.getByText("Lesson 13 · Step 1 of 2").waitFor();
        // Predict by tapping a socket in its table, which the question shows: the server's
        // listener is not it.
        const table = page.locator(".question .socket-table", { hasText: "Server sockets" });
        await table.getByRole("button", { name: "Server: Socket 1" }).tap();
        assert.match(await feedback(page), /Not quite\./);
        await page.getByRole("button", { name: /^No socket/ }).tap();
        assert.match(await feedback(page), /^✓ Right\./);
        await page.getByRole("link", { name: "Next →" }).tap();
        await page.getByText("Lesson 13 · Step 2 of 2").waitFor();
        const port = page.getByLabel("The port curl connects to");
        assert.equal(await port.inputValue(), "8080", "the setup as it is");
        await port.tap();
        await port.fill("8081");
        await page.getByRole("button", { name: "Run it" }).tap();
        assert.match(await feedback(page), /Not quite\. Not yet: curl still fails: connect: ECONNREFUSED: .+\. Change your answer/);
        // The learner's try stays in the box.
        assert.equal(await port.inputValue(), "8081", "the learner's value is kept");
        await page.getByRole("button", { name: /Show a hint/ }).tap();
        await page.getByText("Both ends must agree on one port.").waitFor();
        await port.tap();
        await port.fill("8099");
        await page.getByRole("button", { name: "Run it" }).tap();
        assert.match(await feedback(page), /^✓ Right\. It works: curl connected and got its reply\./);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  });
}

/** Answers a step's question with its solution, by touch, and waits for "Right". */
async function answerByTouch(page, { kind, solution, controls }) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (kind === "predict") {
    const pick = JSON.parse(solution);
    const name = pick === "none" ? /^No socket/ : new RegExp(`^${escape(pick.replace(/:(\d+)$/, ": Socket $1"))}$`);
    await page.locator(".question").getByRole("button", { name }).tap();
  } else if (kind === "choose") {
    await page.locator(".question").getByRole("button", { name: JSON.parse(solution), exact: true }).tap();
  } else if (kind === "fill") {
    for (const [, cell, value] of solution.matchAll(/(\w+) = "([^"]*)"/g)) {
      const field = page.locator(`.question input[name=${cell}]`);
      await field.tap();
      await field.fill(value);
    }
    await page.getByRole("button", { name: "Check" }).tap();
  } else if (kind === "fix") {
    const values = JSON.parse(solution);
    for (const [i, value] of values.entries()) {
      if (value === "") continue;
      const control = page.locator(`.question [name=control-${i}]`);
      if (controls[i] === "firewall_rule") await control.setChecked(value === "on");
      else if (controls[i] === "program") await control.selectOption(value);
      else {
        await control.tap();
        await control.fill(value);
      }
    }
    await page.getByRole("button", { name: "Run it" }).tap();
  } else {
    throw new Error(`unknown question kind ${kind}`);
  }
  assert.match(await feedback(page), /^✓ Right\./, `${kind} ${solution}`);
}

describe("a newcomer on a phone", () => {
  test("picks lesson 1 and finishes every lesson by touch; home shows each one done", async () => {
    // The challenge draws its fault at random: tests/e2e/challenges.test.mjs plays one of each.
    const lessons = lessonFiles().filter((l) => !l.challenge);
    assert.ok(lessons.length >= 8, "at least eight lessons");
    const w = await openWatched(env.chrome.browser, env.site.url, {
      ...VIEWPORTS.phone,
      hasTouch: true,
      permissions: ["clipboard-read", "clipboard-write"],
    });
    try {
      const page = w.page;
      await page.goto(env.site.url);
      await appReady(page);
      for (const [n, lesson] of lessons.entries()) {
        await page.getByRole("link", { name: new RegExp(lesson.title) }).tap();
        for (const [i, step] of lesson.steps.entries()) {
          const where = `Lesson ${n + 1} · Step ${i + 1} of ${lesson.steps.length}`;
          await page.getByText(where).waitFor();
          if (await page.locator(".try-it").count()) await tryItOnThePhone(page, where);
          if (step.kind) await answerByTouch(page, step);
          const last = i + 1 === lesson.steps.length;
          await page.getByRole("link", { name: last ? "Finish: all lessons" : "Next →" }).tap();
        }
        await homeDrawn(page);
        const card = page.locator(".lesson-card", { hasText: lesson.title });
        const asked = lesson.steps.filter((s) => s.kind).length;
        assert.match(await card.locator(".lesson-state").textContent(), new RegExp(`Done, score 100: ${asked} right first time\\.`), lesson.file);
      }
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

/** "Try it on your machine" opens, shows each OS's commands with what they print for the
 * scene, and a Copy button puts the command on the clipboard. */
async function tryItOnThePhone(page, where) {
  const box = page.locator(".try-it");
  await box.locator("summary").tap();
  for (const command of ["ss -tan", "netstat -an -p tcp", "lsof -nP -i :8099", "Get-NetTCPConnection -LocalPort 8099"]) {
    assert.ok(await box.locator("code", { hasText: command }).count(), `${where}: ${command}`);
  }
  const outputs = await box.locator("pre.output").allTextContents();
  assert.ok(outputs.some((o) => /node +\d+ you +\d+u IPv4 .* 192\.168\.1\.102:8099 \(LISTEN\)/.test(o)), `${where}: lsof's listener\n${outputs.join("\n")}`);
  assert.ok(outputs.some((o) => /192\.168\.1\.102 +8099 0\.0\.0\.0 +0 Listen +\d+/.test(o)), `${where}: PowerShell's listener`);
  await box.getByRole("button", { name: "Copy: lsof -nP -i :8099" }).first().tap();
  await box.getByRole("button", { name: "Copy: lsof -nP -i :8099" }).first().getByText("Copied ✓").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "lsof -nP -i :8099");
  await box.locator("summary").tap();
}

describe("progress", () => {
  test("survives a reload; export, reset and import give the same progress back", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, { ...VIEWPORTS.desktop, acceptDownloads: true });
    try {
      const page = w.page;
      await page.goto(`${env.site.url}?lesson=well-known-ports&step=2`);
      await page.getByRole("button", { name: "443" }).click();
      // Feedback about that mistake, with its code as code.
      assert.match(await feedback(page), /443 is the well-known port of HTTPS, .* but an http:\/\/ address that names no port/);
      assert.equal(await page.locator(".feedback code").first().textContent(), "http://");
      await page.getByRole("button", { name: "80", exact: true }).click();
      assert.match(await feedback(page), /^✓ Right/);
      await page.reload();
      await page.getByRole("link", { name: "All lessons" }).click();
      await homeDrawn(page);
      const card = page.locator(".lesson-card", { hasText: "Where servers wait" });
      assert.match(await card.locator(".lesson-state").textContent(), /In progress: step 2 of 4/);
      const stored = await page.evaluate((k) => localStorage.getItem(k), KEY);
      const saved = JSON.parse(stored);
      assert.equal(saved.lessons["well-known-ports"].questions["1"].tries, 2);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export progress" }).click(),
      ]);
      assert.equal(download.suggestedFilename(), "socket-lab-progress.json");
      const file = await download.path();
      assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), saved);

      await page.getByRole("button", { name: "Reset progress…" }).click();
      await page.getByRole("button", { name: "Yes, reset" }).click();
      await page.getByText("Progress reset.").waitFor();
      assert.match(await card.locator(".lesson-state").textContent(), /Not started/);

      await page.locator("input[type=file]").setInputFiles(file);
      await page.getByText("Progress imported.").waitFor();
      assert.match(await card.locator(".lesson-state").textContent(), /In progress: step 2 of 4/);
      assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY)), saved);

      // A file that is not progress changes nothing, and says why.
      await page.locator("input[type=file]").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"app":"other"}') });
      await page.getByText('"notes.json" was not imported: it is not Socket Lab progress. Your progress is unchanged.').waitFor();
      assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY)), saved);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("with progress kept, the first screen shows no lesson as not started before the app draws", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      // The home screen's code never arrives: the first screen stays.
      await page.route("**/socketlab-home_bg.wasm", (route) => route.abort());
      await page.goto(env.site.url);
      const states = page.locator(".first-screen .lesson-state");
      assert.equal(await states.first().isVisible(), true, "no progress: every lesson is not started, and says so");
      await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ app: "socketlab", version: 1, lessons: { "two-apps-one-pc": { step: 1, questions: {} } } })), KEY);
      await page.reload();
      await page.locator(".first-screen").waitFor();
      assert.equal(await states.count(), lessonFiles().length);
      for (const state of await states.all()) assert.equal(await state.isVisible(), false, "the app says where the learner is");
    } finally {
      await w.context.close();
    }
  });

  test("a damaged stored value is reported in one line and reset; the page works", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await page.addInitScript((k) => {
        if (!sessionStorage.getItem("seeded")) {
          localStorage.setItem(k, "{ not json");
          sessionStorage.setItem("seeded", "1");
        }
      }, KEY);
      await page.goto(env.site.url);
      await page.getByText("Your saved progress was reset: it could not be read (the stored text is damaged).").waitFor();
      const now = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
      assert.deepEqual(now, { app: "socketlab", version: 1, lessons: {} });
      await page.getByRole("link", { name: /Two apps on one PC/ }).tap();
      await page.getByText("Lesson 1 · Step 1 of 3").waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

describe("navigation", () => {
  test("deep links open a step; back and forward move between steps and home", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await page.goto(`${env.site.url}?lesson=both-ways-and-closing&step=2`);
      await page.getByText("Lesson 6 · Step 2 of 2").waitFor();
      await page.getByRole("link", { name: "← Back" }).tap();
      await page.getByText("Lesson 6 · Step 1 of 2").waitFor();
      assert.match(page.url(), /step=1$/);
      await page.goBack();
      await page.getByText("Lesson 6 · Step 2 of 2").waitFor();
      await page.goForward();
      await page.getByText("Lesson 6 · Step 1 of 2").waitFor();
      // An address with no such lesson shows the lessons, and says so.
      await page.goto(`${env.site.url}?lesson=no-such-lesson`);
      await page.getByText('There is no lesson called "no-such-lesson"; here are the lessons there are.').waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

for (const [name, options] of Object.entries(VIEWPORTS)) {
  test(`every question and the home screen have zero axe-core violations at ${name} size`, async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, options);
    try {
      const page = w.page;
      await page.goto(env.site.url);
      await appReady(page);
      await axeClean(page, "home");
      const steps = await page.evaluate(() => [...document.querySelectorAll(".lesson-card a")].map((a) => a.getAttribute("href")));
      assert.ok(steps.length >= 8, "at least eight lessons");
      let questions = 0;
      for (const first of steps) {
        for (let step = 1; step <= 8; step++) {
          await page.goto(env.site.url + first.replace(/step=1$/, `step=${step}`));
          await page.locator(".step-panel").waitFor();
          const count = (await page.locator(".step-count").textContent()).match(/Step (\d+) of (\d+)/);
          if (Number(count[1]) !== step) break;
          if (await page.locator(".question").count()) {
            questions++;
            await axeClean(page, `${first} step ${step}`);
          }
        }
      }
      assert.ok(questions >= 16, `${questions} questions checked`);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
}
