// End-to-end: playing the default scene (the course's slides) in real Chromium, on a desktop and
// on a phone: playback, stepping, tables, packets, keyboard, highlighting, reduced motion.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, VIEWPORTS, ROOT, canvasDrawing } from "./harness.mjs";

const SHOTS = join(ROOT, "test-results");
mkdirSync(SHOTS, { recursive: true });

const env = sharedSite();

const clock = (page) => page.locator(".clock").textContent();

/** The cells of one host's course-layout table, by row header: { "State": [...], ... } */
async function table(page, host) {
  return page.locator(`section.socket-table[aria-label^="${host} sockets"] table`).evaluate((t) => {
    const out = {};
    for (const tr of t.querySelectorAll("tbody tr")) {
      // A row name may carry a short form for phones ("Dest. Port") beside the long one.
      const th = tr.querySelector("th");
      const name = (th.querySelector(".long") ?? th).textContent.trim();
      out[name] = [...tr.querySelectorAll("td")].map((td) => td.textContent.trim());
    }
    return out;
  });
}

for (const [name, options] of Object.entries(VIEWPORTS)) {
  describe(`the slides' scene at ${name} size`, () => {
    test("plays to the end, then steps back exactly to the server's new socket", { timeout: 120_000 }, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        await page.goto(env.site.url + "?scene=slides");
        await page.getByRole("combobox", { name: "Speed" }).selectOption({ label: "4×" });
        await page.getByRole("button", { name: "Play" }).click();
        await page.getByRole("button", { name: "Play" }).waitFor({ timeout: 90_000 }); // Pause turns back into Play at the end
        assert.match(await clock(page), /^60\.900 s \/ 60\.900 s$/);
        assert.match(await page.locator(".stage-text h3").textContent(), /^7 of 7: Sockets closed/);
        // The narration has caught up: its newest line is the last event, also announced.
        const newest = (await page.locator(".event-list li.event").first().textContent()).trim();
        assert.match(newest, /^60\.900 s /);
        const announced = (await page.locator(".narration [aria-live]").textContent()).trim();
        assert.equal(newest, `60.900 s ${announced}`);

        // Step back, one moment at a time, to 0.400 s: the browser's SYN reaches the server,
        // which makes a new socket for the connection.
        for (let i = 0; i < 60 && !(await clock(page)).startsWith("0.400 s"); i++) {
          await page.getByRole("button", { name: "Step back" }).click();
        }
        assert.match(await clock(page), /^0\.400 s/);
        assert.match(await page.locator(".stage-text h3").textContent(), /^5 of 7: The server creates a new socket/);
        const server = await table(page, "Server");
        assert.deepEqual(server["State"], ["LISTEN", "SYN-RECEIVED"]);
        assert.deepEqual(server["Source Port"], ["80", "80"]);
        assert.deepEqual(server["Source IP Addr"], ["192.168.1.102", "192.168.1.102"]);
        assert.deepEqual(server["Destination Port"], ["n/a", "10378"]);
        assert.deepEqual(server["Destination IP Addr"], ["n/a", "192.168.1.101"]);
        assert.deepEqual(server["Process"], ["nginx (fd 3)", "–"], "the new socket waits for accept()");
        // On the stage: the SYN-ACK leaves the server, and the server says where the SYN went.
        const packets = await page.locator(".stage-frame .packet").allTextContents();
        assert.deepEqual(packets, ["A 80→10378 SYN,ACK"]);
        assert.match(await page.locator(".stage-svg .callout").last().textContent(), /→ listening :80$/);
        // The phone shows the table of the host where this happened: the server.
        assert.equal(await page.locator("section.socket-table.current").getAttribute("aria-label"), "Server sockets (192.168.1.102)");
        // The client's table at this moment. A phone shows one table (the others are not
        // drawn again until shown): the learner picks the client's.
        if (name === "phone") {
          await page.locator(".table-picker").getByRole("button", { name: "Client PC", exact: true }).click();
          assert.equal(await page.locator("section.socket-table.current").getAttribute("aria-label"), "Client PC sockets (192.168.1.101)");
        }
        const client = await table(page, "Client PC");
        assert.deepEqual(client["State"], ["SYN-SENT"]);
        assert.deepEqual(client["Source Port"], ["10378"]);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });

    test("a screenshot of each stage (test-results/)", { timeout: 60_000 }, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        await page.goto(env.site.url + "?scene=slides");
        let shot = 0;
        let last = "";
        for (let i = 0; i < 80; i++) {
          const title = await page.locator(".stage-text h3").textContent();
          if (title !== last) {
            shot += 1;
            last = title;
            await page.screenshot({ path: join(SHOTS, `walkthrough-${name}-stage-${shot}.png`), fullPage: false });
          }
          if (title.startsWith("7 of 7")) break;
          await page.getByRole("button", { name: "Step forward" }).click();
        }
        assert.equal(shot, 7, "seven stages");
        const axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        assert.ok(scrollWidth <= innerWidth, `no horizontal scroll (${scrollWidth} > ${innerWidth})`);
      } finally {
        await w.context.close();
      }
    });
  });
}

test("keyboard only: shortcuts, focus and the help dialog", async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
  try {
    const page = w.page;
    await page.goto(env.site.url + "?scene=slides");
    await page.locator("h1").waitFor();
    // Tab to the Play button.
    let label = "";
    for (let i = 0; i < 40 && label !== "Play"; i++) {
      await page.keyboard.press("Tab");
      label = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    }
    assert.equal(label, "Play", "Play is reachable with Tab");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "focus is visible");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Play" }).waitFor();
    await page.keyboard.press("Home");
    assert.match(await clock(page), /^0\.000 s/);
    await page.keyboard.press("ArrowRight");
    assert.match(await clock(page), /^0\.100 s/, "→ steps to the next moment");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowLeft");
    assert.match(await clock(page), /^0\.100 s/, "← steps back");
    // Space plays and pauses when the focus is not on a control.
    await page.locator(".stage-text h3").click();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Play" }).waitFor();
    // ? opens the shortcuts; Escape closes them.
    await page.keyboard.press("?");
    await page.getByRole("dialog", { name: "Key and shortcuts" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    // A packet can be opened from the keyboard: Tab to it, Enter.
    await page.keyboard.press("Home");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight"); // 0.399 s: the SYN arrives
    await page.locator(".stage-frame .packet").first().focus();
    await page.keyboard.press("Enter");
    assert.match(await page.locator("#inspector-title").textContent(), /^Packet inspector: segment \d+/);
    assert.deepEqual(await w.problems(), []);
  } finally {
    await w.context.close();
  }
});

test("choosing a packet highlights its sockets; choosing a socket highlights its packets", async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
  try {
    const page = w.page;
    await page.goto(env.site.url + "?scene=slides");
    for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Step forward" }).click(); // 0.300 s: the SYN leaves
    await page.locator(".stage-frame .packet").last().click();
    assert.ok((await page.locator("td.highlight").count()) > 0, "the packet's sockets are highlighted in the tables");
    await page.getByRole("button", { name: /^Socket 1/ }).first().click();
    assert.ok((await page.locator(".stage-frame .packet.highlight").count()) > 0, "the socket's packets are highlighted");
    assert.deepEqual(await w.problems(), []);
  } finally {
    await w.context.close();
  }
});

test("with reduced motion, packets jump instead of gliding", async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, { ...VIEWPORTS.desktop, reducedMotion: "reduce" });
  try {
    const page = w.page;
    await page.goto(env.site.url + "?scene=slides");
    for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Step forward" }).click(); // 0.300 s: the browser's SYN leaves
    const first = await page.locator(".stage-frame .packet").first().evaluate((el) => el.style.transform);
    await page.getByRole("button", { name: "Step forward" }).click(); // 0.399 s: the same SYN is about to arrive
    const later = await page.locator(".stage-frame .packet").first().evaluate((el) => el.style.transform);
    assert.equal(later, first, "the SYN stays put until it arrives");
    const drawn = await canvasDrawing(page);
    assert.ok(drawn.painted[0] > 0.6, `the canvas draws it there too (${drawn.painted[0].toFixed(2)} of its box painted)`);
  } finally {
    await w.context.close();
  }
});

test("360 px wide: no horizontal scroll, and the controls are at least 44 px", async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  try {
    const page = w.page;
    await page.goto(env.site.url + "?scene=slides");
    await page.locator("h1").waitFor();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `${scrollWidth} > ${innerWidth}`);
    for (const name of ["Restart", "Step back", "Play", "Step forward"]) {
      const box = await page.getByRole("button", { name, exact: true }).boundingBox();
      assert.ok(box.width >= 44 && box.height >= 44, `${name}: ${box.width}×${box.height}`);
    }
  } finally {
    await w.context.close();
  }
});

test("every scene opens, plays its moments and stays clean", { timeout: 120_000 }, async () => {
  const ids = ["slides", "walkthrough", "two-apps-one-pc", "node-server-8099", "many-clients", "forking-server", "web-server-80", "mongodb-27017", "connection-refused", "port-in-use", "syn-timeout", "port-not-protocol", "privileged-port", "three-ranges", "server-closes-first", "stress-50-clients"];
  const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
  try {
    const page = w.page;
    for (const id of ids) {
      await page.goto(`${env.site.url}?scene=${id}`);
      await page.locator(".stage-svg").waitFor();
      assert.equal(await page.locator(".notice:visible").count(), 0, `${id}: no error notice`);
      for (let i = 0; i < 12; i++) await page.keyboard.press("ArrowRight");
      assert.notEqual(await clock(page), null);
      assert.ok((await page.locator("section.socket-table").count()) >= 2, `${id}: a table per host`);
    }
    // The picker switches scenes too, and an unknown scene says so instead of failing.
    await page.getByRole("combobox", { name: "Scene" }).selectOption({ label: "Connection refused" });
    await page.locator(".stage-text h3", { hasText: "Connection refused" }).waitFor();
    await page.goto(`${env.site.url}?scene=no-such-scene`);
    assert.match(await page.locator(".notice:visible").textContent(), /There is no scene called "no-such-scene"/);
    assert.deepEqual(await w.problems(), []);
  } finally {
    await w.context.close();
  }
});

// While the page is hidden (another tab in front), the clock waits, and goes on from where it
// was when the learner comes back; a scene opened playing in a hidden tab waits too.
test("a hidden page's clock waits for the learner to come back", { timeout: 60_000 }, async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
  try {
    const page = w.page;
    // document.hidden as the test says, and its change told as a browser tells it.
    await page.addInitScript(() => {
      window.__hidden = new URLSearchParams(location.search).has("hidden");
      Object.defineProperty(Document.prototype, "hidden", { get: () => window.__hidden, configurable: true });
    });
    const hide = (hidden) =>
      page.evaluate((hidden) => {
        window.__hidden = hidden;
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    const seconds = async () => parseFloat(await clock(page));
    await page.goto(env.site.url + "?scene=slides&play=1");
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.waitForTimeout(600);
    await hide(true);
    const at = await seconds();
    await page.waitForTimeout(1200);
    assert.equal(await seconds(), at, "hidden, the clock stands still");
    assert.ok(await page.getByRole("button", { name: "Pause" }).isVisible(), "and the scene is still playing");
    await hide(false);
    await page.waitForTimeout(1200);
    const later = await seconds();
    assert.ok(later > at, `back, it goes on from ${at} s (now ${later} s)`);
    // Opened playing in a hidden tab: nothing moves until it is shown.
    await page.goto(env.site.url + "?scene=slides&play=1&hidden");
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.waitForTimeout(1200);
    assert.equal(await seconds(), 0, "a hidden tab's scene waits at its start");
    await hide(false);
    await page.waitForTimeout(1200);
    assert.ok((await seconds()) > 0, "shown, it plays");
    assert.deepEqual(await w.problems(), []);
  } finally {
    await w.context.close();
  }
});
