// End-to-end: every shipped scenario's capture, written by socketlab-cli, opens in tshark
// (Wireshark's engine) with no malformed packet; the Node.js scenario shows one TCP
// conversation per client, each with its handshake and close.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";

const scenarios = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".toml")).sort();
let dir;

function capture(name) {
  const pcap = join(dir, name.replace(/\.toml$/, ".pcap"));
  execFileSync("cargo", ["run", "--quiet", "--bin", "socketlab-cli", "--", "run", join("scenarios", name), "--pcap", pcap], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return pcap;
}

function tshark(args) {
  return execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "socketlab-pcap-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("there are scenarios to capture", () => assert.ok(scenarios.length >= 6));

for (const name of scenarios) {
  test(`${name}: tshark reads every packet, none malformed`, () => {
    const pcap = capture(name);
    const all = tshark(["-r", pcap]).trim().split("\n").filter(Boolean);
    assert.ok(all.length > 0, "the capture has packets");
    const malformed = tshark(["-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity == \"error\""]).trim();
    assert.equal(malformed, "", "no malformed packet");
  });
}

test("node-server-8099: one TCP conversation per client, each with handshake and close", () => {
  const pcap = capture("node-server-8099.toml");
  const rows = tshark(["-r", pcap, "-T", "fields", "-E", "separator=,", "-e", "tcp.stream", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.flags.fin", "-e", "ip.src", "-e", "tcp.srcport", "-e", "tcp.dstport"])
    .trim()
    .split("\n")
    .map((l) => l.split(","));
  const streams = new Map();
  for (const [stream, syn, ack, fin, src, sport, dport] of rows) {
    if (!streams.has(stream)) streams.set(stream, { syn: 0, synAck: 0, fin: 0, ports: new Set() });
    const s = streams.get(stream);
    if (syn === "1" && ack === "0") s.syn++;
    if (syn === "1" && ack === "1") s.synAck++;
    if (fin === "1") s.fin++;
    s.ports.add(`${src}:${sport}>${dport}`);
  }
  assert.equal(streams.size, 3, "browser, curl and the mobile app");
  for (const [id, s] of streams) {
    assert.equal(s.syn, 1, `stream ${id} opens with one SYN`);
    assert.equal(s.synAck, 1, `stream ${id} has one SYN-ACK`);
    assert.equal(s.fin, 2, `stream ${id} closes with a FIN each way`);
  }
  const clientPorts = [...streams.values()].map((s) => [...s.ports].find((p) => p.endsWith(">8099")));
  assert.ok(clientPorts.some((p) => p === "192.168.1.101:10378>8099"), "curl from the course's port 10378");
});
