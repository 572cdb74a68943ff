// End-to-end: the scene a learner is watching, downloaded from under its flow graph (Explore
// and a lesson, desktop and phone): the capture opens in tshark with no malformed packet and is
// the very file socketlab-cli writes for the scene; the scenario file is valid, and running it
// gives the same capture again. (Progress export, which saves its file the same way, is in
// lessons.test.mjs.)
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedSite, openWatched, VIEWPORTS, ROOT } from "./harness.mjs";

const env = sharedSite();
let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "socketlab-downloads-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** socketlab-cli's capture of a scenario file. */
function cliCapture(scenario, name) {
  const pcap = join(dir, name);
  execFileSync("cargo", ["run", "--quiet", "--bin", "socketlab-cli", "--", "run", scenario, "--pcap", pcap], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return readFileSync(pcap);
}

function tshark(args) {
  return execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

/** Click the button and keep what it downloads: its suggested name and its path. */
async function download(page, button) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  const path = join(dir, `${Date.now()}-${d.suggestedFilename()}`);
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path };
}

const PLACES = [
  ["Explore, the Node.js scene", "?scene=node-server-8099", "node-server-8099", 3],
  ["lesson 5 (the slides' scene)", "?lesson=new-socket-per-connection&step=1", "slides", 1],
];

for (const [viewport, options] of Object.entries(VIEWPORTS)) {
  describe(`downloads at ${viewport} size`, () => {
    for (const [where, query, scene, conversations] of PLACES) {
      test(`${where}: the capture opens in tshark and the scenario file runs to the same capture`, { timeout: 120_000 }, async () => {
        const w = await openWatched(env.chrome.browser, env.site.url, { ...options, acceptDownloads: true });
        try {
          const page = w.page;
          await page.goto(env.site.url + query);
          // They sit under the flow graph: on a phone, behind its tab.
          if (viewport === "phone") await page.getByRole("button", { name: "Flow", exact: true }).click();
          const section = page.getByRole("region", { name: "Take this scene with you" });
          await section.waitFor();

          const pcap = await download(page, "Capture for Wireshark (.pcap)");
          assert.equal(pcap.name, `${scene}.pcap`);
          const packets = tshark(["-r", pcap.path]).trim().split("\n").filter(Boolean);
          assert.ok(packets.length >= 5, `the capture has the scene's packets (${packets.length})`);
          const malformed = tshark(["-r", pcap.path, "-Y", '_ws.malformed || _ws.expert.severity == "error"']).trim();
          assert.equal(malformed, "", "no malformed packet");
          const streams = new Set(tshark(["-r", pcap.path, "-T", "fields", "-e", "tcp.stream"]).trim().split("\n"));
          assert.equal(streams.size, conversations, "one TCP conversation per client");
          const shipped = cliCapture(join("scenarios", `${scene}.toml`), `${scene}-shipped.pcap`);
          assert.ok(readFileSync(pcap.path).equals(shipped), "the same bytes socketlab-cli writes for the shipped file");

          const toml = await download(page, "Scenario file (.toml)");
          assert.equal(toml.name, `${scene}.toml`);
          const text = readFileSync(toml.path, "utf8");
          assert.match(text, /^version = 1\ntitle = "/);
          execFileSync("cargo", ["run", "--quiet", "--bin", "socketlab-cli", "--", "check", toml.path], { cwd: ROOT, stdio: "ignore" });
          assert.ok(cliCapture(toml.path, `${scene}-downloaded.pcap`).equals(shipped), "the downloaded scenario makes the same capture");

          assert.equal(await section.getByRole("alert").count(), 0, "no message: both files were saved");
          assert.deepEqual(await w.problems(), []);
        } finally {
          await w.context.close();
        }
      });
    }
  });
}
