// End-to-end: the workshop on a phone (390×844, by touch). A learner builds a server and two
// clients from nothing, runs it and sees both connections in the server's table; shares it as a
// link, which opens the same scene in a fresh browser; saves it as a file and opens the file
// again; and a damaged link, a link of an unknown version and a file with three problems each
// leave the page working, with the sentence that says what is wrong. Every shipped scene opens
// as a file and fits a link (its length is printed, from the browser's own compression).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, fit, courseTable as table, VIEWPORTS, ROOT } from "./harness.mjs";

const env = sharedSite();
let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "socketlab-workshop-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const phone = { ...VIEWPORTS.phone, acceptDownloads: true };

async function workshop(url = "?workshop") {
  const w = await openWatched(env.chrome.browser, env.site.url, phone);
  await w.page.goto(env.site.url + url);
  await w.page.locator(".workshop-tools").waitFor();
  return w;
}

const tool = (page, name) => page.locator(".workshop-tools").getByRole("button", { name, exact: true });

/** Type into a field and leave it, as a learner does (the change is taken on leaving). */
async function type(page, id, value) {
  const field = page.locator(`#${id}`);
  await field.tap();
  await field.fill(value);
  await field.evaluate((e) => e.blur());
}

async function ready(page) {
  await page.locator(".workshop-status", { hasText: "No problems: the scene is ready to run." }).waitFor({ timeout: 30_000 });
}

/** Save the scene as a file and read it back. */
async function saved(page) {
  const [d] = await Promise.all([page.waitForEvent("download"), tool(page, "Save file").tap()]);
  const path = join(dir, `${Date.now()}-${d.suggestedFilename()}`);
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path, text: readFileSync(path, "utf8") };
}

/** The share dialog's link. */
async function shareLink(page) {
  await tool(page, "Share link").tap();
  const link = page.locator("#ws-share-link");
  await link.waitFor();
  const text = await link.inputValue();
  const length = await page.locator(".share-length").textContent();
  await page.locator(".share-dialog").getByRole("button", { name: "Close" }).tap();
  return { link: text, length };
}

/** A server and two clients, from an empty workshop, by touch. */
async function buildServerAndTwoClients(page) {
  const add = (name) => page.getByRole("button", { name, exact: true }).tap();
  for (let i = 0; i < 3; i++) await add("Add a host");
  await type(page, "ws-hosts-0-name", "Server");
  await type(page, "ws-hosts-1-name", "Laptop");
  await type(page, "ws-hosts-2-name", "Phone");
  await add("Add a link");
  await add("Add a link");
  // The first process is a server on the first host, listening on its port.
  await add("Add a process");
  await add("Add an action");
  // Then a client on the laptop and one on the phone, each connecting to the server.
  await add("Add a process");
  await page.locator("#ws-processes-1-host").selectOption("Laptop");
  await add("Add an action");
  await add("Add a process");
  await add("Add an action");
}

describe("the workshop on a phone, by touch", () => {
  test("a server and two clients built from nothing run, and the server's table holds both connections", { timeout: 120_000 }, async () => {
    const w = await workshop();
    try {
      const page = w.page;
      await buildServerAndTwoClients(page);
      await ready(page);
      assert.equal(await page.locator("#ws-actions-1-to").inputValue(), "Server:8099", "the client connects to the server, renamed");
      await tool(page, "Run").tap();
      // The player plays the scene; pause it, go back to the start and step until the server
      // holds both connections at once.
      await page.locator(".stage-svg").waitFor();
      const pause = page.getByRole("button", { name: "Pause" });
      if (await pause.count()) await pause.tap();
      await page.getByRole("button", { name: "Restart" }).tap();
      await page.locator(".table-picker").getByRole("button", { name: "Server", exact: true }).tap();
      let states = [];
      for (let i = 0; i < 40; i++) {
        states = (await table(page, "Server"))["State"] ?? [];
        if (states.filter((s) => s === "ESTABLISHED").length === 2) break;
        await page.getByRole("button", { name: "Step forward" }).tap();
      }
      assert.deepEqual(states, ["LISTEN", "ESTABLISHED", "ESTABLISHED"]);
      const server = await table(page, "Server");
      assert.deepEqual(server["Source Port"], ["8099", "8099", "8099"]);
      assert.deepEqual(server["Destination IP Addr"], ["n/a", "192.168.1.102", "192.168.1.103"]);
      // Back to the workshop: the scene as it was.
      await page.getByRole("button", { name: "Back to the workshop" }).tap();
      assert.equal(await page.locator("#ws-hosts-2-name").inputValue(), "Phone");
      await ready(page);
      // Undo and redo walk the changes.
      await tool(page, "Undo").tap();
      assert.equal(await page.locator("#ws-actions-2-to").count(), 0, "undo took the last action away");
      await tool(page, "Redo").tap();
      assert.equal(await page.locator("#ws-actions-2-to").inputValue(), "Server:8099");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("a shared link opens the same scene in a fresh browser, and a saved file opens again as the same scene", { timeout: 120_000 }, async () => {
    const w = await workshop();
    try {
      const page = w.page;
      await buildServerAndTwoClients(page);
      await type(page, "ws-title", "Three hosts, two clients");
      await ready(page);
      const before = await saved(page);
      assert.equal(before.name, "three-hosts-two-clients.toml");
      const { link, length } = await shareLink(page);
      assert.match(link, /#s=1\.[A-Za-z0-9_-]+$/);
      assert.equal(length, `${link.length} characters`);
      // A fresh browser context: nothing kept from the first.
      const fresh = await openWatched(env.chrome.browser, env.site.url, phone);
      try {
        await fresh.page.goto(link);
        await fresh.page.locator(".workshop-notice", { hasText: "Opened the shared scene “Three hosts, two clients”" }).waitFor({ timeout: 30_000 });
        assert.equal(new URL(fresh.page.url()).hash, "", "the link's scene leaves the address once opened");
        await ready(fresh.page);
        assert.equal((await saved(fresh.page)).text, before.text, "the same scene");
        assert.deepEqual(await fresh.problems(), []);
      } finally {
        await fresh.context.close();
      }
      // Save, start again, open the file: the same scene; undo goes back to the new one.
      await tool(page, "New scene").tap();
      assert.equal(await page.locator("#ws-hosts-0-name").count(), 0);
      await page.locator(".workshop-tools input[type=file]").setInputFiles(before.path);
      await page.locator(".workshop-notice", { hasText: "Opened “Three hosts, two clients”" }).waitFor({ timeout: 30_000 });
      assert.equal((await saved(page)).text, before.text);
      await tool(page, "Undo").tap();
      assert.equal(await page.locator("#ws-hosts-0-name").count(), 0);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("a damaged link, a link of an unknown version and a file with three problems change nothing and say why", { timeout: 120_000 }, async () => {
    const w = await workshop();
    try {
      const page = w.page;
      await page.getByRole("button", { name: "Add a host", exact: true }).tap();
      await type(page, "ws-hosts-0-name", "Mine");
      const { link } = await shareLink(page);
      const notice = page.locator(".workshop-notice[role=alert]");
      // A character changed into one no link has.
      const at = link.indexOf("#s=1.") + 20;
      await page.goto(link.slice(0, at) + "*" + link.slice(at + 1));
      await notice.filter({ hasText: /This link is damaged near character \d+/ }).waitFor();
      assert.equal(await page.locator("#ws-hosts-0-name").inputValue(), "Mine", "the scene being edited is kept");
      // A newer Socket Lab's link.
      await page.goto(env.site.url + "?workshop#s=2.AAAA");
      await notice.filter({ hasText: "This link was made by a newer Socket Lab (link version 2)" }).waitFor();
      assert.equal(await page.locator("#ws-hosts-0-name").inputValue(), "Mine");
      // A file with three problems: refused, each listed.
      const scene = readFileSync(join(ROOT, "scenarios/node-server-8099.toml"), "utf8")
        .replace("seed = ", "seed = -")
        .replace('title = "', 'title = 3 # "')
        .concat('\n[[firewall]]\nhost = "Nowhere"\nproto = "tcp"\nport = 80\nverdict = "drop"\n');
      await page.locator(".workshop-tools input[type=file]").setInputFiles({ name: "broken.toml", mimeType: "application/toml", buffer: Buffer.from(scene) });
      await notice.filter({ hasText: "broken.toml was not opened: it has 3 problems." }).waitFor({ timeout: 30_000 });
      assert.equal(await notice.locator("li").count(), 3);
      assert.equal(await page.locator("#ws-hosts-0-name").inputValue(), "Mine");
      // The page still works.
      await page.getByRole("button", { name: "Add a host", exact: true }).tap();
      assert.equal(await page.locator("#ws-hosts-1-name").inputValue(), "Host");
      // A value a field cannot hold: said at the field, the scene unchanged.
      await page.getByRole("button", { name: "Add a firewall rule", exact: true }).tap();
      await type(page, "ws-firewall-0-port", "70000");
      await page.locator(".field-problem", { hasText: "Type a whole number from 0 to 65535." }).waitFor();
      assert.equal(await page.locator("#ws-firewall-0-port").getAttribute("aria-invalid"), "true");
      assert.match((await saved(page)).text, /port = 80\n/);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("every shipped scene opens as a file and fits a link", { timeout: 240_000 }, async () => {
    const w = await workshop();
    try {
      const page = w.page;
      const lengths = [];
      for (const file of readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".toml")).sort()) {
        const text = readFileSync(join(ROOT, "scenarios", file), "utf8");
        const title = text.match(/^title = "(.*)"$/m)[1];
        await page.locator(".workshop-tools input[type=file]").setInputFiles(join(ROOT, "scenarios", file));
        await page.locator(".workshop-notice", { hasText: `Opened “${title}”` }).waitFor({ timeout: 30_000 });
        await ready(page);
        const { link } = await shareLink(page);
        const fragment = link.slice(link.indexOf("#"));
        assert.ok(link.length <= 8000, `${file}: ${link.length} characters`);
        lengths.push(`${file}: ${fragment.length}`);
      }
      console.log(`share-link fragment lengths (characters after the page's address): ${lengths.join("; ")}`);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

describe("a teacher's challenge", () => {
  test("its link opens as a challenge; Run checks its goals and says what happened instead", { timeout: 120_000 }, async () => {
    const teacher = await workshop();
    let link;
    try {
      const scene = readFileSync(join(ROOT, "tests/data/teachers-challenge.toml"));
      await teacher.page.locator(".workshop-tools input[type=file]").setInputFiles({ name: "challenge.toml", mimeType: "application/toml", buffer: scene });
      await teacher.page.locator(".workshop-task", { hasText: "curl cannot reach the server." }).waitFor({ timeout: 30_000 });
      await ready(teacher.page);
      await tool(teacher.page, "Share link").tap();
      link = await teacher.page.locator("#ws-share-link").inputValue();
      const embed = await teacher.page.locator("#ws-share-embed").inputValue();
      assert.ok(embed.startsWith(`<iframe src="${link.split("#")[0]}?embed=1#s=1.`), embed);
      // The embed code's page opens the challenge too, without the site's header.
      const src = embed.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&");
      const framed = await teacher.context.newPage();
      await framed.goto(src);
      await framed.locator(".workshop-task", { hasText: "curl cannot reach the server." }).waitFor({ timeout: 30_000 });
      assert.ok(await framed.evaluate(() => document.documentElement.classList.contains("embed")));
      assert.match(framed.url(), /\?embed=1&workshop$/);
      await framed.close();
      assert.deepEqual(await teacher.problems(), []);
    } finally {
      await teacher.context.close();
    }
    const w = await openWatched(env.chrome.browser, env.site.url, phone);
    try {
      const page = w.page;
      await page.goto(link);
      const task = page.locator(".workshop-task");
      await task.filter({ hasText: "curl cannot reach the server. Fix the scene so that it gets its reply." }).waitFor({ timeout: 30_000 });
      assert.deepEqual(await task.locator("li").allTextContents(), ["curl gets its reply.", "No segment is dropped."]);
      await ready(page);
      await tool(page, "Run").tap();
      await page.locator(".notice[role=status]", { hasText: "1 goal is not met yet." }).waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Back to the workshop" }).tap();
      assert.match(await task.locator("li").first().textContent(), /^Not yet curl gets its reply\./);
      await type(page, "ws-actions-1-to", "Server:8099");
      await ready(page);
      await tool(page, "Run").tap();
      await page.locator(".notice[role=status]", { hasText: "Every goal is met: challenge passed." }).waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Back to the workshop" }).tap();
      assert.deepEqual(await task.locator(".goal-mark").allTextContents(), ["Met", "Met"]);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

describe("the workshop in Traditional Chinese", () => {
  test("problems are said in Chinese at their fields, and switching language keeps the scene", { timeout: 120_000 }, async () => {
    const w = await workshop();
    try {
      const page = w.page;
      await page.getByRole("button", { name: "Add a host", exact: true }).tap();
      await type(page, "ws-hosts-0-name", "Mine");
      await type(page, "ws-hosts-0-ip", "192.168.1.300");
      await page.locator(".field-problem", { hasText: "is not an IPv4 address" }).waitFor({ timeout: 30_000 });
      await page.getByRole("combobox", { name: "Language" }).selectOption("zh-Hant");
      await page.locator(".workshop-tools").getByRole("button", { name: "復原", exact: true }).waitFor({ timeout: 30_000 });
      assert.equal(await page.locator("#ws-hosts-0-name").inputValue(), "Mine", "the scene is kept");
      await page.locator(".field-problem", { hasText: "「192.168.1.300」不是 IPv4 地址" }).waitFor({ timeout: 30_000 });
      assert.match(await page.locator(".problem-list").first().textContent(), /主機 1 · IP 地址：「192\.168\.1\.300」不是 IPv4 地址/);
      // The page's own skip link (a fragment) is not taken for a shared scene.
      assert.equal(await page.locator(".workshop-notice[role=alert]").count(), 0);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});

describe("the workshop at every size", () => {
  const sizes = {
    "phone 360×640": { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    // (With touch, so the helpers can tap.)
    desktop: { ...VIEWPORTS.desktop, hasTouch: true },
  };
  for (const [name, options] of Object.entries(sizes)) {
    test(`${name}: no sideways scroll, every label 12 px or more, no axe-core violations`, { timeout: 120_000 }, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, { ...options, acceptDownloads: true });
      try {
        const page = w.page;
        await page.goto(env.site.url + "?workshop");
        await page.locator(".workshop-tools").waitFor();
        await buildServerAndTwoClients(page);
        await page.getByRole("button", { name: "Add a goal", exact: true }).click();
        await type(page, "ws-hosts-1-ip", "192.168.1.300");
        await page.locator(".problem-list li").first().waitFor({ timeout: 30_000 });
        // Every entry's "More" open: the longest the page gets.
        await page.evaluate(() => document.querySelectorAll("details.more-fields").forEach((d) => (d.open = true)));
        const { scrollWidth, innerWidth, smallest } = await fit(page, ".workshop-main");
        assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
        assert.ok(smallest >= 12, `a label at ${smallest}px`);
        let axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}×)`), []);
        // The share dialog too, which fits the screen.
        await tool(page, "Share link").click();
        await page.locator("#ws-share-link").waitFor();
        const box = await page.locator(".share-dialog").boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= innerWidth, "the dialog fits the width");
        axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}×)`), []);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  }

  test("a file dropped on the page opens; a scene too big for a link is offered as a file", { timeout: 120_000 }, async () => {
    const w = await workshop();
    try {
      const page = w.page;
      const text = readFileSync(join(ROOT, "scenarios/walkthrough.toml"), "utf8");
      const title = text.match(/^title = "(.*)"$/m)[1];
      const drop = await page.evaluateHandle((text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], "walkthrough.toml", { type: "application/toml" }));
        return data;
      }, text);
      await page.locator(".workshop-main").dispatchEvent("drop", { dataTransfer: drop });
      await page.locator(".workshop-notice", { hasText: `Opened “${title}”` }).waitFor({ timeout: 30_000 });
      // A description no compression shrinks: 12,000 random letters.
      let noise = "";
      for (let i = 0; i < 12_000; i++) noise += String.fromCharCode(97 + Math.floor(Math.random() * 26));
      await page.locator("#ws-file details.more-fields").evaluate((d) => (d.open = true));
      await type(page, "ws-description", noise);
      await tool(page, "Share link").tap();
      await page.locator(".share-dialog [role=alert]", { hasText: /As a link, this scene would be \d+ characters, more than 8000/ }).waitFor();
      const [d] = await Promise.all([page.waitForEvent("download"), page.locator(".share-dialog").getByRole("button", { name: "Save file" }).tap()]);
      assert.match(d.suggestedFilename(), /\.toml$/);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});
