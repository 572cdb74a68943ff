// End-to-end: the view made to be read, at a 360×640 phone, a 390×844 phone and a 1280×800
// desktop. At every stage of the default scene, paused and playing: the stage and the current
// host's table are both in the first screen; no label sits on another label or on a host's
// text; no text on the stage renders under 12 px; no table is cut off without a cue; axe-core
// finds nothing. And the flow graph: no two labels overlap, every lifeline can be seen.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, canvasDrawing, VIEWPORTS } from "./harness.mjs";

const env = sharedSite();

const SIZES = {
  "360×640": { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  "390×844": VIEWPORTS.phone,
  "1280×800": VIEWPORTS.desktop,
};

/** Two animation frames: the tables measure whether they overflow at the next frame. */
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

/** Everything the checks need, measured in the page as rendered. */
function measure() {
  const visible = (el) => {
    const b = el.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const svg = document.querySelector(".stage-svg");
  const scale = svg.getScreenCTM().a;
  const name = (el) => (el.getAttribute("aria-label") ?? el.textContent).slice(0, 40);
  // Each labelled packet has a button where the canvas draws it (see the canvas tests); the
  // buttons' boxes and text are what a label occupies.
  const labels = [...document.querySelectorAll(".stage-frame .packet span")].filter(visible);
  const hostTexts = [...svg.querySelectorAll(".host text")].filter(visible);
  const overlaps = [];
  const all = [...labels.map((el) => ["packet", el]), ...hostTexts.map((el) => ["host text", el])];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [ka, a] = all[i];
      const [kb, b] = all[j];
      // Two lines of one host box are laid out apart by construction; still checked.
      if (hit(a.getBoundingClientRect(), b.getBoundingClientRect())) overlaps.push(`${ka} "${name(a)}" on ${kb} "${name(b)}"`);
    }
  }
  // Every label is a whole packet: its text is not cut by its own box.
  for (const el of labels) {
    const box = el.parentElement.getBoundingClientRect();
    const text = el.getBoundingClientRect();
    if (text.left < box.left - 0.5 || text.right > box.right + 0.5) overlaps.push(`packet text "${el.textContent}" overflows its box`);
  }
  const sizes = [
    ...[...svg.querySelectorAll("text")].filter(visible).map((t) => parseFloat(getComputedStyle(t).fontSize) * scale),
    ...labels.map((el) => parseFloat(getComputedStyle(el).fontSize)),
  ];
  const clipped = [...document.querySelectorAll(".socket-table")]
    .filter((s) => visible(s))
    .filter((s) => {
      const scroller = s.querySelector(".table-scroll");
      const cue = s.querySelector(".scroll-cue");
      return scroller.scrollWidth > scroller.clientWidth + 1 && !(cue && visible(cue));
    })
    .map((s) => s.getAttribute("aria-label"));
  const frame = document.querySelector(".stage-frame").getBoundingClientRect();
  const controls = document.querySelector(".controls").getBoundingClientRect();
  const table = document.querySelector(".socket-table.current").getBoundingClientRect();
  return {
    title: document.querySelector(".stage-text h3").textContent,
    overlaps,
    smallest: Math.min(...sizes),
    clipped,
    inView: { stage: [frame.top, frame.bottom], controls: [controls.top, controls.bottom], table: [table.top, table.bottom] },
    height: window.innerHeight,
    scrollY: window.scrollY,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}

function checkReadable(m, where) {
  assert.deepEqual(m.overlaps, [], `${where}: nothing on top of anything`);
  assert.ok(m.smallest >= 12, `${where}: the smallest stage text renders at ${m.smallest.toFixed(1)} px`);
  assert.deepEqual(m.clipped, [], `${where}: a table wider than its box says it scrolls`);
  assert.ok(m.scrollWidth <= m.innerWidth, `${where}: no sideways scroll (${m.scrollWidth} > ${m.innerWidth})`);
}

async function axe(page, where) {
  const result = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(
    result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
    `${where}: axe-core`,
  );
}

for (const [size, options] of Object.entries(SIZES)) {
  describe(`at ${size}`, () => {
    test("every stage of the default scene: stage, controls and the current table in the first screen, readable, clean", { timeout: 180_000 }, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        await page.goto(env.site.url + "?scene=slides");
        await page.locator(".stage-svg").waitFor();
        let seen = 0;
        for (let i = 0; i < 40 && seen < 7; i++) {
          await settle(page);
          const m = await page.evaluate(measure);
          if (m.title.startsWith(`${seen + 1} of 7`)) {
            seen += 1;
            const where = `${size}, "${m.title}"`;
            assert.equal(m.scrollY, 0, `${where}: nothing has scrolled`);
            for (const [part, [top, bottom]] of Object.entries(m.inView)) {
              assert.ok(top >= 0 && bottom <= m.height, `${where}: the ${part} is in the first screen (${top.toFixed(0)}–${bottom.toFixed(0)} of ${m.height})`);
            }
            checkReadable(m, where);
            await axe(page, where);
          }
          await page.getByRole("button", { name: "Step forward" }).click();
        }
        assert.equal(seen, 7, "all seven stages");
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });

    test("while playing: labels stay apart and readable, and axe-core finds nothing", { timeout: 120_000 }, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        // From 0.450 s: the ACK and the request travel together, then the reply comes back.
        await page.goto(`${env.site.url}?scene=slides&t=450&speed=1&play=1`);
        await page.locator(".stage-frame .packet").first().waitFor();
        let packetsSeen = 0;
        for (let i = 0; i < 16; i++) {
          const m = await page.evaluate(measure);
          packetsSeen = Math.max(packetsSeen, await page.locator(".stage-frame .packet").count());
          checkReadable(m, `${size}, playing at ${await page.locator(".clock").textContent()}`);
          await page.waitForTimeout(250);
        }
        assert.ok(packetsSeen >= 2, "packets were on the wire");
        assert.ok(await page.getByRole("button", { name: "Pause" }).isVisible(), "still playing");
        await axe(page, `${size}, playing`);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  });
}

/** The flow graph's labels and lifelines, as rendered. */
function flowFacts() {
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const scroller = document.querySelector(".flow-scroll");
  const texts = [...document.querySelectorAll(".flow .arrow text")].map((t) => [t.textContent, t.getBoundingClientRect()]);
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (hit(texts[i][1], texts[j][1])) overlaps.push(`"${texts[i][0]}" on "${texts[j][0]}"`);
    }
  }
  const lifelines = [...document.querySelectorAll(".flow .lifeline")].map((l) => Number(l.getAttribute("x1")));
  const names = [...document.querySelectorAll(".flow .flow-head text:not(.time-head)")].map((t) => t.getBoundingClientRect());
  const box = scroller.getBoundingClientRect();
  return {
    overlaps,
    rows: texts.length,
    lifelines,
    scrollWidth: scroller.scrollWidth,
    clientWidth: scroller.clientWidth,
    namesInside: names.every((n) => n.left >= box.left - 0.5 && n.right <= box.left + scroller.scrollWidth + 0.5),
    sticky: getComputedStyle(document.querySelector(".flow .flow-head")).position,
  };
}

for (const [size, options] of Object.entries(SIZES)) {
  test(`the flow graph at ${size}: a row per segment, no label on another, every lifeline there`, { timeout: 60_000 }, async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, options);
    try {
      const page = w.page;
      for (const scene of ["slides", "walkthrough"]) {
        await page.goto(`${env.site.url}?scene=${scene}&t=100000`);
        if (options.isMobile) await page.getByRole("button", { name: "Flow", exact: true }).click();
        await page.locator(".flow .arrow").first().scrollIntoViewIfNeeded();
        const f = await page.evaluate(flowFacts);
        assert.deepEqual(f.overlaps, [], `${scene}: no two flow labels overlap`);
        assert.ok(f.rows > 0);
        assert.ok(f.namesInside, `${scene}: every host name is inside the graph`);
        assert.ok(f.lifelines.every((x) => x < f.scrollWidth), `${scene}: every lifeline is inside the graph: ${f.lifelines} < ${f.scrollWidth}`);
        if (!options.isMobile) assert.ok(f.lifelines.every((x) => x < f.clientWidth), `${scene}: on a desktop every lifeline shows without scrolling`);
        assert.equal(f.sticky, "sticky", "the host names stay in view as the graph scrolls");
      }
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
}

test("on a phone the inspector, events and flow graph are one tap away, and choosing a packet opens it", { timeout: 60_000 }, async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, SIZES["360×640"]);
  try {
    const page = w.page;
    await page.goto(`${env.site.url}?scene=slides&t=300`);
    for (const [tab, heading] of [["Events", "What happens"], ["Flow", "Flow graph"], ["Ports", "Common ports"], ["Packet", "Packet inspector"]]) {
      await page.getByRole("button", { name: tab, exact: true }).click();
      assert.ok(await page.getByRole("heading", { name: heading }).isVisible(), `${tab} shows ${heading}`);
    }
    await page.getByRole("button", { name: "Story", exact: true }).click();
    assert.match(await page.locator("#panel-story").textContent(), /creates a socket and connects/);
    await page.locator(".stage-frame .packet").first().tap();
    assert.ok(await page.locator("#panel-packet").isVisible(), "tapping a packet shows the inspector");
    assert.match(await page.locator("#inspector-title").textContent(), /segment 1/);
    // The table picker pins a host's table; pressing it again follows the latest event.
    await page.getByRole("button", { name: "Server", exact: true }).click();
    assert.equal(await page.locator("section.socket-table.current").getAttribute("aria-label"), "Server sockets (192.168.1.102)");
    assert.deepEqual(await w.problems(), []);
  } finally {
    await w.context.close();
  }
});

test("in a busy scene, the canvas draws each labelled packet on its button, and a click on a dot opens it", { timeout: 60_000 }, async () => {
  const w = await openWatched(env.chrome.browser, env.site.url, SIZES["1280×800"]);
  try {
    const page = w.page;
    await page.goto(`${env.site.url}?scene=stress-50-clients&t=1000`);
    await page.locator(".stage-frame .packet").first().waitFor();
    await settle(page);
    const drawn = await canvasDrawing(page);
    assert.ok(drawn.painted.length >= 6, `labelled packets on the stage: ${drawn.painted.length}`);
    for (const [i, share] of drawn.painted.entries()) assert.ok(share > 0.6, `packet ${i} is drawn on its button (${share.toFixed(2)} of its box painted)`);
    assert.ok(drawn.dots.length >= 5, `dots drawn: ${drawn.dots.length}`);
    const [x, y] = drawn.dots[0];
    await page.mouse.click(x, y);
    assert.match(await page.locator("#inspector-title").textContent(), /^Packet inspector: segment \d+/, "the dot's segment opens in the inspector");
    assert.deepEqual(await w.problems(), []);
  } finally {
    await w.context.close();
  }
});

for (const [how, init] of [
  ["in a worker", null],
  // A browser that cannot hand a canvas to a worker: the same painter runs in the page.
  ["in the page, where a canvas cannot go to a worker", () => delete HTMLCanvasElement.prototype.transferControlToOffscreen],
]) {
  test(`on a phone the SYN is drawn where its button is, painted ${how}`, { timeout: 60_000 }, async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, SIZES["360×640"]);
    try {
      const page = w.page;
      if (init) await page.addInitScript(init);
      await page.goto(`${env.site.url}?scene=slides&t=300`);
      await page.locator(".stage-frame .packet").first().waitFor();
      await settle(page);
      const drawn = await canvasDrawing(page);
      assert.equal(drawn.painted.length, 1, "one packet: the SYN");
      assert.ok(drawn.painted[0] > 0.6, `the SYN is drawn on its button (${drawn.painted[0].toFixed(2)} of its box painted)`);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  // Playing, the painter keeps its own pace (static/stage.js) and the page wakes only at
  // moments: paused, both must be at the same moment, the packet drawn where its button is.
  test(`playing, the packets move, and paused they are drawn where their buttons are, painted ${how}`, { timeout: 60_000 }, async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, SIZES["360×640"]);
    try {
      const page = w.page;
      if (init) await page.addInitScript(init);
      await page.goto(`${env.site.url}?scene=slides&t=300&play=1`);
      await page.locator('.button.play[aria-label="Pause"]').waitFor();
      const canvas = page.locator(".packet-canvas");
      const first = await canvas.screenshot();
      await page.waitForTimeout(400);
      const second = await canvas.screenshot();
      assert.notDeepEqual(first, second, "the packets moved while playing");
      await page.keyboard.press("Space");
      await page.locator('.button.play[aria-label="Play"]').waitFor();
      await settle(page);
      const clock = await page.locator(".clock").textContent();
      assert.notEqual(clock.split(" / ")[0], "0.300 s", `the clock went on: ${clock}`);
      const drawn = await canvasDrawing(page);
      assert.ok(drawn.painted.length >= 1, "a packet is on the wire");
      for (const [i, share] of drawn.painted.entries()) {
        assert.ok(share > 0.6, `paused at ${clock}, packet ${i} is drawn on its button (${share.toFixed(2)} of its box painted)`);
      }
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
}
