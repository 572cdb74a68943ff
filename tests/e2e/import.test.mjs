// End-to-end: the learner's own traffic (?import) on a phone (390×844, by touch) and at every
// size. A real `ss -tan` pasted is drawn as the course's tables, each row explained; the real
// kernel's capture (tests/data/captures/kernel.pcapng: IPv4 and IPv6, recorded by
// scripts/kernel-capture.sh) opens in the capture's worker and steps packet by packet, the
// server's table changing with each; a file that is no capture, a truncated capture and a cut
// each say so in one sentence and leave the page working; every label is 12 px or more, there is
// no sideways scroll, and axe-core finds nothing. The capture's worker loads only on this page.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, fit, courseTable, VIEWPORTS, ROOT } from "./harness.mjs";

const env = sharedSite();
let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "socketlab-import-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const KERNEL = join(ROOT, "tests/data/captures/kernel.pcapng");
// The kernel's own `ss -tan`, in the server's namespace while two connections were up
// (tests/data/captures/kernel-ss.txt).
const SS = readFileSync(join(ROOT, "tests/data/captures/kernel-ss.txt"), "utf8")
  .split("@ connected")[1]
  .split("# server\n")[1]
  .split("@ ")[0];

async function importPage(options = VIEWPORTS.phone, query = "?import") {
  const w = await openWatched(env.chrome.browser, env.site.url, options);
  const workers = [];
  w.page.on("worker", (wk) => workers.push(wk.url()));
  await w.page.goto(env.site.url + query);
  await w.page.locator(".import-main").waitFor();
  return { ...w, workers };
}

async function openCapture(page, path) {
  await page.locator('.import-capture input[type="file"]').setInputFiles(path);
}

/** Name the kernel capture's server (192.168.1.102) "Server", by touch. */
async function nameServer(page) {
  await page.locator(".import-hosts summary").tap();
  await page.getByLabel("Name for 192.168.1.102").fill("Server");
  await page.getByLabel("Name for 192.168.1.102").press("Tab");
}

/** The rows of the table captioned `caption`, as text cells. */
async function tableRows(page, caption) {
  const table = page.locator(".socket-table", { has: page.locator("caption", { hasText: caption }) }).first();
  return table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
}

describe("your own traffic on a phone", () => {
  test("a pasted ss -tan is drawn as the course's tables, each row explained", { timeout: 120_000 }, async () => {
    const w = await importPage();
    try {
      const { page } = w;
      await page.locator("#paste-box").fill(SS);
      await page.getByRole("button", { name: "Read it" }).tap();
      await page.locator(".import-paste .import-summary", { hasText: "Read as ss output: 3 sockets." }).waitFor();
      // The listener on every address, in a table of its own.
      const every = await tableRows(page, "Every address (*)");
      assert.deepEqual(every, [["1", "TCP", "8099", "*", "n/a", "n/a", "LISTEN"]]);
      const notes = await page.locator(".import-notes li").allTextContents();
      assert.match(notes[0], /waits for connections on port 8099 \(registered\), on every address of this machine/);
      assert.match(notes[1], /A connection a server here accepted: its own port, 8099, is the listening socket's, and 10379 is the client's port\./);
      assert.match(notes[1], /ESTABLISHED: connected/);
      // Lines that are no socket are said, and the page keeps working.
      await page.locator("#paste-box").fill(SS + "this is not a socket\n");
      await page.getByRole("button", { name: "Read it" }).tap();
      await page.getByText("1 line could not be read: line 5.").waitFor();
      await page.locator("#paste-box").fill("");
      await page.getByRole("button", { name: "Read it" }).tap();
      await page.getByText("Paste a socket list into the box first.").waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("the kernel's capture opens in its worker and steps packet by packet with the tables", { timeout: 120_000 }, async () => {
    const w = await importPage();
    try {
      const { page } = w;
      assert.deepEqual(w.workers, [], "no worker before a file is opened");
      await openCapture(page, KERNEL);
      const summary = page.locator(".import-capture .import-summary");
      await summary.waitFor({ timeout: 30_000 });
      assert.match(
        await summary.textContent(),
        /kernel\.pcapng: a pcapng file of 36 frames: 36 TCP and UDP packets, in 6 connections between 4 hosts, over [0-9.]+ seconds\./,
      );
      assert.ok(w.workers.some((u) => u.includes("socketlab-capture")), `the capture's worker: ${w.workers}`);
      // Name the server, then step through the first handshake.
      await nameServer(page);
      const forward = page.getByRole("button", { name: "Step forward", exact: true });
      await forward.tap();
      await page.locator(".import-packet-line", { hasText: "192.168.1.101:10378" }).waitFor();
      assert.match(await page.locator(".import-packet-line").textContent(), /→ Server \(192\.168\.1\.102:8099\): TCP \[SYN\], 0 bytes of data\./);
      // The SYN was answered: the server has its listener and a socket in SYN-RECEIVED.
      let server = await tableRows(page, "Server (192.168.1.102)");
      assert.deepEqual(server, [
        ["TCP", "8099", "192.168.1.102", "n/a", "n/a", "LISTEN"],
        ["TCP", "8099", "192.168.1.102", "10378", "192.168.1.101", "SYN-RECEIVED"],
      ]);
      // The hosts this packet is not between: behind a button, which opens their tables.
      const others = page.getByRole("button", { name: "The other hosts' tables (2)" });
      assert.equal(await others.getAttribute("aria-expanded"), "false");
      await others.tap();
      assert.deepEqual(await tableRows(page, "fd00::102"), [["TCP", "8099", "fd00::102", "n/a", "n/a", "LISTEN"]]);
      await forward.tap();
      await forward.tap();
      server = await tableRows(page, "Server (192.168.1.102)");
      assert.equal(server[1][5], "ESTABLISHED");
      // After the tenth packet the client, which closed first, waits in TIME-WAIT; the server's
      // socket is gone.
      for (let i = 0; i < 7; i++) await forward.tap();
      await page.getByText("Packet 10 of 36", { exact: false }).waitFor();
      const client = await tableRows(page, "192.168.1.101");
      assert.deepEqual(client, [["TCP", "10378", "192.168.1.101", "8099", "192.168.1.102", "TIME-WAIT"]]);
      server = await tableRows(page, "Server (192.168.1.102)");
      assert.deepEqual(server, [["TCP", "8099", "192.168.1.102", "n/a", "n/a", "LISTEN"]]);
      // On the phone the packet and the tables are on one screen with the controls.
      const box = await page.locator(".import-packet").boundingBox();
      const table = await page.locator(".import-table").first().boundingBox();
      assert.ok(box && table, "the packet and a table are drawn");
      // A connection refused: its SYN to 8080 answered with RST (packet 34).
      await page.locator(".import-slider input").fill("34");
      await page.getByText("Packet 34 of 36", { exact: false }).waitFor();
      await page.getByText("nothing listens on 192.168.1.102:8080, so that host's kernel answered with RST: the connection is refused (connect() fails with ECONNREFUSED)", { exact: false }).waitFor();
      // A cut: the first 2 connections.
      await page.locator('input[name="count"]').fill("2");
      await page.getByRole("button", { name: "Show this part" }).tap();
      await page.getByText("Shown: the first 2 of 6 connections, 20 packets.").waitFor({ timeout: 30_000 });
      // A bad cut is said, and changes nothing.
      await page.locator('input[name="count"]').fill("0");
      await page.getByRole("button", { name: "Show this part" }).tap();
      await page.getByText("Give a number of connections from 1").waitFor();
      await page.getByText("Shown: the first 2 of 6 connections, 20 packets.").waitFor();
      // A time window: the first 10 ms hold the first request's ten packets.
      await page.getByLabel("A time window").check();
      await page.locator('input[name="from"]').fill("0");
      await page.locator('input[name="to"]').fill("0.01");
      await page.getByRole("button", { name: "Show this part" }).tap();
      await page.getByText("Shown: 10 packets, from 0.000 to 0.010 seconds.").waitFor({ timeout: 30_000 });
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("the capture plays on the player's stage: the packet crosses, the tables change, the inspector reads its bytes", { timeout: 120_000 }, async () => {
    const w = await importPage();
    try {
      const { page } = w;
      await openCapture(page, KERNEL);
      await page.locator(".import-capture .import-summary").waitFor({ timeout: 30_000 });
      await nameServer(page);
      await page.getByRole("button", { name: "Play it on the stage" }).tap();
      await page.locator(".stage-svg").waitFor();
      // The stage draws the IPv4 hosts, by the learner's names, and says what it leaves out.
      const hosts = await page.locator(".stage-svg .host-name").allTextContents();
      assert.deepEqual(hosts.sort(), ["192.168.1.101", "Server"]);
      await page.getByText("18 packets of this part are not on the stage: the stage draws only IPv4 hosts", { exact: false }).waitFor();
      const pause = page.getByRole("button", { name: "Pause" });
      if (await pause.count()) await pause.tap();
      await page.getByRole("button", { name: "Restart" }).tap();
      await page.locator(".table-picker").getByRole("button", { name: "Server", exact: true }).tap();
      // Before the first packet the server listens (the capture shows 8099 accept connections).
      assert.deepEqual((await courseTable(page, "Server"))["State"], ["LISTEN"]);
      // Step: the SYN leaves (the server's table is as it was while it crosses), then arrives,
      // and the server has a new socket for the connection.
      const forward = page.getByRole("button", { name: "Step forward" });
      let states = [];
      for (let i = 0; i < 6 && !states.includes("SYN-RECEIVED"); i++) {
        await forward.tap();
        states = (await courseTable(page, "Server"))["State"] ?? [];
      }
      assert.deepEqual(states, ["LISTEN", "SYN-RECEIVED"]);
      const server = await courseTable(page, "Server");
      assert.deepEqual(server["Destination Port"], ["n/a", "10378"]);
      assert.deepEqual(server["Process"], ["–", "–"], "a capture does not show which program holds a socket");
      // What happens: the packet, its time in the capture and its ports' classes.
      await page.getByRole("button", { name: "Events" }).tap();
      const line = page.getByRole("button", { name: /Packet 1 \(frame 1\), [0-9.]+ ms after the capture's first packet: 192\.168\.1\.101:10378 → Server \(192\.168\.1\.102:8099\): TCP \[SYN\]/ });
      assert.match(await line.textContent(), /From port 10378 \(registered\) to port 8099 \(registered\)\./);
      await page.locator(".event-list").getByText("Server: the socket 192.168.1.102:8099 ↔ 192.168.1.101:10378 is now SYN-RECEIVED.").waitFor();
      // The inspector reads the packet's own bytes: its options as the kernel wrote them.
      await line.tap();
      const inspector = page.locator("#panel-packet");
      await inspector.getByText("192.168.1.101", { exact: true }).waitFor();
      assert.match(await inspector.textContent(), /MSS 1460 bytes/);
      // Another language: the stage is made again in its words.
      await page.locator(".language-picker select").selectOption("zh-Hant");
      await page.getByRole("button", { name: "返回你的流量" }).waitFor();
      await page.getByText("在舞台上，每個封包用 20 毫秒走完路程", { exact: false }).first().waitFor({ state: "attached" });
      await page.locator(".language-picker select").selectOption("en");
      // Back to the page, where the learner left.
      await page.getByRole("button", { name: "Back to your traffic" }).tap();
      await page.locator(".import-capture .import-summary").waitFor();
      // The focus is given once the page is drawn again.
      await page.waitForFunction(() => document.activeElement?.id === "import-stage", null, { timeout: 5_000 });
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("a file that is no capture, and a cut-short capture, each say so and the page keeps working", { timeout: 120_000 }, async () => {
    const w = await importPage();
    try {
      const { page } = w;
      const text = join(dir, "notes.txt");
      writeFileSync(text, "State Recv-Q Send-Q\n");
      await openCapture(page, text);
      await page.getByText("This file is not a pcap or pcapng capture.", { exact: false }).waitFor({ timeout: 30_000 });
      const bytes = readFileSync(KERNEL);
      const cut = join(dir, "cut.pcapng");
      writeFileSync(cut, bytes.subarray(0, bytes.length - 300));
      await openCapture(page, cut);
      await page.locator(".import-capture .notice", { hasText: "The file ends in the middle of packet" }).waitFor({ timeout: 30_000 });
      await page.locator(".import-capture .import-summary").waitFor();
      // The paste box still works.
      await page.locator("#paste-box").fill(SS);
      await page.getByRole("button", { name: "Read it" }).tap();
      await page.getByText("Read as ss output: 3 sockets.").waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("in Chinese: the notes and the capture's summary, and a language switch keeps both", { timeout: 120_000 }, async () => {
    const w = await importPage(VIEWPORTS.phone, "?import&lang=zh-Hant");
    try {
      const { page } = w;
      await page.locator("#paste-box").fill(SS);
      await page.getByRole("button", { name: "讀取" }).tap();
      await page.getByText("當作 ss 的輸出讀取：3 個 socket。").waitFor();
      await openCapture(page, KERNEL);
      await page.locator(".import-capture .import-summary", { hasText: "pcapng 檔案" }).waitFor({ timeout: 30_000 });
      await page.locator(".language-picker select").selectOption("en");
      await page.getByText("Read as ss output: 3 sockets.").waitFor();
      await page.locator(".import-capture .import-summary", { hasText: "a pcapng file of 36 frames" }).waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

describe("your own traffic at every size", () => {
  const sizes = {
    "phone 360×640": { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    desktop: { ...VIEWPORTS.desktop, hasTouch: true },
  };
  for (const [name, options] of Object.entries(sizes)) {
    test(`${name}: no sideways scroll, every label 12 px or more, no axe-core violations`, { timeout: 120_000 }, async () => {
      const w = await importPage(options);
      try {
        const { page } = w;
        await page.locator("#paste-box").fill(SS);
        await page.getByRole("button", { name: "Read it" }).click();
        await openCapture(page, KERNEL);
        await page.locator(".import-capture .import-summary").waitFor({ timeout: 30_000 });
        await page.locator(".import-hosts summary").click();
        for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Step forward", exact: true }).click();
        const { scrollWidth, innerWidth, smallest } = await fit(page, ".import-main");
        assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
        assert.ok(smallest >= 12, `a label at ${smallest}px`);
        const axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}×)`), []);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  }
});
