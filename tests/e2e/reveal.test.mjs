// End-to-end: what a first-year student ran into on a phone, each fixed and checked here. The
// question's segment is the one marked; a fix plays the learner's own setup and keeps it; Play
// waits at a question; the scrubber does not hide the exchange behind a quiet minute; a tapped
// packet opens where the learner is; the stage has a key; the answer's explanation shows after
// it; a Chinese learner may write "none" their way; the free player keeps its moment across a
// language switch.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { sharedSite, openWatched, VIEWPORTS } from "./harness.mjs";

const env = sharedSite();

/** Opens `query` and waits for the app. */
async function open(page, query) {
  await page.goto(`${env.site.url}${query}`);
  await page.locator("#boot-message").waitFor({ state: "detached" });
}

async function feedback(page) {
  const box = page.locator(".feedback");
  await box.waitFor();
  return (await box.textContent()).trim();
}

/** The clock's time, in ms. */
async function clockMs(page) {
  const text = await page.locator(".clock").textContent();
  const [s, ms] = text.match(/^(\d+)\.(\d{3}) s/).slice(1);
  return Number(s) * 1000 + Number(ms);
}

describe("what a student met on a phone", () => {
  test("lesson 1: the segment asked about is marked and labelled; the others are unlabelled until the answer", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await open(page, "?lesson=two-apps-one-pc&step=2");
      await page.locator(".question h3").waitFor();
      // One labelled packet: the web server's reply (80 → the browser's port), named as the
      // question's segment; the mail server's reply is a dot.
      const packets = page.locator(".packet");
      await packets.first().waitFor();
      assert.equal(await packets.count(), 1, "only the question's segment has a label");
      assert.match(await packets.first().getAttribute("aria-label"), /^(this segment: )?A 80→\d+ PSH,ACK/);
      assert.doesNotMatch(await packets.first().getAttribute("aria-label"), /587/);
      // The answer: the browser's socket. Then both replies are labelled again.
      await page.locator(".question").getByRole("button", { name: "Client PC: Socket 1" }).tap();
      assert.match(await feedback(page), /^✓ Right\. The simulation agrees: /);
      assert.doesNotMatch(await feedback(page), /Right.*Right/, "says Right once");
      await page.locator(".question .explain").waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("lesson 12: which process holds a connection; every pid offered reads ? until the answer, and so do the stage's programs", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await open(page, "?lesson=process-per-connection&step=1");
      await page.locator(".question h3").waitFor();
      // The question's tables: the server's, each process cell without its pid. A phone's
      // tables leave their process row to the stage, but not for this question.
      assert.ok(await page.locator(".question .socket-table tr.process-row").first().isVisible(), "the process row shows");
      const cells = await page.locator(".question .socket-table tbody tr.process-row td").allTextContents();
      assert.ok(cells.length >= 4, `the server's sockets: ${cells}`);
      for (const cell of cells) assert.doesNotMatch(cell, /100[0-3]/, `no pid offered shows: ${cells}`);
      assert.ok(cells.some((c) => /^python3 \(pid \?, fd 4\)$/.test(c.trim())), `${cells}`);
      // The stage's programs: how many processes run would tell, so they read ?.
      const programs = await page.locator(".stage-svg .program").allTextContents();
      assert.ok(programs.length > 0 && programs.every((p) => p.trim() === "?"), `${programs}`);
      // A wrong pid is answered about its idea: the browser's child serves only that one.
      const options = page.locator(".question");
      await options.getByRole("button", { name: "1002", exact: true }).tap();
      assert.match(await feedback(page), /forked for the browser's connection/);
      await options.getByRole("button", { name: "1003", exact: true }).tap();
      assert.match(await feedback(page), /^✓ Right\./);
      // Answered: the table and the stage say it.
      await page.locator(".question .explain").waitFor();
      const after = await page.locator(".socket-table tbody tr.process-row td").allTextContents();
      assert.ok(after.some((c) => c.trim() === "python3 (pid 1003, fd 4)"), `${after}`);
      assert.ok(after.some((c) => c.trim() === "python3 (pid 1002, fd 4)"), `${after}`);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("lesson 8: a fix keeps the learner's value, plays their run on the stage, and says only what is on screen", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      await open(page, "?lesson=connection-refused&step=2");
      const port = page.getByLabel("The port curl connects to");
      await port.fill("9000");
      await page.getByRole("button", { name: "Run it" }).click();
      const said = await feedback(page);
      assert.match(said, /Not quite\. .*9000.*\. Change your answer and try again\./, said);
      assert.equal(await port.inputValue(), "9000", "kept");
      // The learner's own run plays: its SYN goes to 9000, and the events say so.
      await page.locator("#panel-events", { hasText: ":9000" }).first().waitFor({ timeout: 15_000 });
      await port.fill("8099");
      await page.getByRole("button", { name: "Run it" }).click();
      assert.match(await feedback(page), /^✓ Right\. It works: curl connected and got its reply\./);
      assert.equal(await port.inputValue(), "8099");
      // The working run: curl's connection is set up.
      await page.locator("#panel-events", { hasText: "SYN-SENT → ESTABLISHED" }).first().waitFor({ timeout: 20_000 });
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("Play waits at an unanswered question and says why; after the answer it plays on; the bar shortens the quiet minute", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await open(page, "?lesson=new-socket-per-connection&step=2");
      await page.locator(".question h3").waitFor();
      const at = await clockMs(page);
      const play = page.getByRole("button", { name: "Play" });
      assert.equal(await play.getAttribute("aria-disabled"), "true");
      assert.match(await play.getAttribute("title"), /Answer the question first/);
      await play.tap({ force: true });
      await page.waitForTimeout(800);
      assert.equal(await clockMs(page), at, "the scene did not move past the question");
      // Step forward goes no further either.
      await page.getByRole("button", { name: /Step forward/ }).tap();
      assert.equal(await clockMs(page), at);
      // The answer: the scene plays on to the request's arrival.
      await page.locator(".question").getByRole("button", { name: "Server: Socket 2" }).tap();
      await page.locator(".feedback.right").waitFor();
      await page.waitForFunction((t) => {
        const m = document.querySelector(".clock").textContent.match(/^(\d+)\.(\d{3})/);
        return Number(m[1]) * 1000 + Number(m[2]) > t;
      }, at);
      // The bar: the 60-second TIME-WAIT takes a short piece; the exchange (under 1.1 s) most.
      const slider = page.getByRole("slider", { name: /Timeline/ });
      const max = Number(await slider.getAttribute("max"));
      assert.ok(max < 2000, `the bar is ${max} ms of scene, not 60 900`);
      assert.ok(await page.locator(".marks line.quiet").count() >= 1, "the quiet stretch is marked");
      await page.getByText("Quiet time shortened.").waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("a packet tapped in a lesson opens in a sheet on screen; the stage keeps its width after the answer", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await open(page, "?lesson=client-connects&step=3");
      await page.locator(".question h3").waitFor();
      const before = await page.locator(".stage-svg").boundingBox();
      const packet = page.locator(".packet").first();
      await packet.waitFor();
      await packet.tap();
      const sheet = page.locator(".inspector.has-packet");
      await sheet.waitFor();
      const box = await sheet.boundingBox();
      const height = page.viewportSize().height;
      assert.ok(box.y >= 0 && box.y < height && box.y + Math.min(box.height, 200) <= height, `the details are on screen (${JSON.stringify(box)})`);
      await sheet.getByRole("button", { name: /Close/ }).tap();
      await sheet.waitFor({ state: "detached" });
      await page.locator(".question").getByRole("button", { name: "Server: Socket 1" }).tap();
      await page.locator(".feedback.right").waitFor();
      const after = await page.locator(".stage-svg").boundingBox();
      assert.equal(Math.round(after.width), Math.round(before.width), "the stage keeps its width");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("the stage's key explains the letters, a packet's label, fd, the arrow and ?", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await open(page, "?lesson=two-apps-one-pc&step=2");
      await page.getByRole("button", { name: "Key and shortcuts" }).tap();
      const dialog = page.getByRole("dialog", { name: "Key and shortcuts" });
      await dialog.waitFor();
      const text = await dialog.textContent();
      for (const said of [/Each connection has a letter and a colour/, /from the sender's port to the receiver's/, /file descriptor/, /4-tuple/, /Hidden until you answer/]) {
        assert.match(text, said);
      }
      // The lesson's stage shows no unexplained callout, and no scene stage title of its own.
      assert.equal(await page.locator(".stage-svg .callout").count(), 0);
      assert.equal(await page.locator(".stage-text").count(), 0);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("in Chinese, a listener's missing peer may be written 沒有, * or n/a, and the form says what to type", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await open(page, "?lesson=server-listens&step=1&lang=zh-Hant");
      await page.locator(".question .fill").waitFor();
      assert.match(await page.locator(".fill-none").textContent(), /n\/a/);
      for (const [cell, value] of [["source_port", "80"], ["source_addr", "192.168.1.102"], ["dest_port", "*"], ["dest_addr", "沒有"]]) {
        await page.locator(`.question input[name=${cell}]`).fill(value);
      }
      await page.getByRole("button", { name: "檢查" }).tap();
      assert.match(await feedback(page), /^✓ 答對了。/);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("playing up to a later question's moment shows its answer as ?; answering again keeps the scene waiting there", { timeout: 60_000 }, async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      // Lesson 4's first step has no question; Play runs to the next one's moment, where the
      // browser's port (that question's answer) is on the wire.
      await open(page, "?lesson=client-connects&step=1");
      await page.getByRole("button", { name: "Play" }).click();
      await page.waitForFunction(() => /^0\.399 s/.test(document.querySelector(".clock").textContent), null, { timeout: 20_000 });
      await page.waitForTimeout(300);
      const seen = await page.evaluate(() =>
        [...document.querySelectorAll(".stage-svg text, .packet, .socket-table td, #panel-events, #panel-flow")]
          .map((e) => `${e.getAttribute("aria-label") ?? ""} ${e.textContent}`)
          .join("\n"),
      );
      assert.doesNotMatch(seen, /10378/, "the next question's answer is hidden while the scene plays up to it");
      assert.match(seen, /\?→80/);
      // Lesson 6: answer the reply's socket, then tap it again; Play still stops at the next
      // question's moment (3 s), whose answer (the browser's state) stays hidden.
      await open(page, "?lesson=both-ways-and-closing&step=1");
      const socket = page.locator(".question").getByRole("button", { name: "Client PC: Socket 1" });
      await socket.click();
      await page.locator(".feedback.right").waitFor();
      await page.waitForFunction(() => document.querySelector(".button.play").getAttribute("aria-label") === "Play");
      await socket.click();
      await page.waitForFunction(() => document.querySelector(".button.play").getAttribute("aria-label") === "Play");
      await page.getByRole("button", { name: "Play" }).click();
      await page.waitForFunction(() => document.querySelector(".button.play").getAttribute("aria-label") === "Play", null, { timeout: 30_000 });
      assert.match(await page.locator(".clock").textContent(), /^3\.000 s/, "it waits at the next question");
      assert.equal(await page.locator(".socket-table td", { hasText: "TIME-WAIT" }).count(), 0);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("while lesson 2 asks a service's port, the port registry waits too", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      await open(page, "?lesson=well-known-ports&step=3");
      await page.locator(".question h3").waitFor();
      assert.doesNotMatch(await page.locator("#panel-ports").textContent(), /27017/);
      await page.locator(".question .choices").getByRole("button", { name: "27017", exact: true }).click();
      await page.locator(".feedback.right").waitFor();
      await page.locator("#panel-ports", { hasText: "27017" }).waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});
