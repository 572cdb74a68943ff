// End-to-end: the SCORM 1.2 package that scripts/package.sh builds. The zip is unpacked the way
// an LMS unpacks it; its manifest must be well formed, name one SCO per lesson whose launch file
// is in the package, and list every file of the site. Then the unpacked package, served by a
// plain static server, opens a lesson at a SCO's launch address.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { ROOT, serveDist, launchChromium, openWatched, VIEWPORTS } from "./harness.mjs";

const ZIP = join(ROOT, "target/package/socketlab-scorm12.zip");

/** The entries of a zip file, name → bytes: stored or deflated, as zip readers in LMSs read it. */
function unzip(bytes) {
  // The end-of-central-directory record: its signature, searched from the end.
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, "the zip has an end-of-central-directory record");
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, "a central directory entry");
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    assert.equal(bytes.readUInt32LE(local), 0x04034b50, `${name}: a local header`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated`);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
  }
  return files;
}

/** Every lesson id in the lesson files, in their order. */
function lessonIds() {
  return readdirSync(join(ROOT, "lessons"))
    .filter((f) => f.endsWith(".toml"))
    .sort()
    .map((f) => readFileSync(join(ROOT, "lessons", f), "utf8").match(/^id = "(.+)"$/m)[1]);
}

test("the SCORM 1.2 package: a well-formed manifest, a SCO per lesson, every file listed, and a lesson opens from it", async () => {
  assert.ok(existsSync(ZIP), `${ZIP} is missing: build it with bash scripts/package.sh`);
  const files = unzip(readFileSync(ZIP));
  assert.ok(files.has("imsmanifest.xml"), "imsmanifest.xml at the package's root");
  for (const name of files.keys()) assert.ok(!name.startsWith("/") && !name.includes(".."), `${name} is a relative path`);
  const dir = mkdtempSync(join(tmpdir(), "socketlab-scorm-"));
  for (const [name, data] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }

  const site = await serveDist(dir);
  const chrome = await launchChromium();
  try {
    const w = await openWatched(chrome.browser, site.url, VIEWPORTS.phone);
    const page = w.page;
    // The browser's own XML parser reads the manifest: a well-formedness error is a parsererror.
    const manifest = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      if (doc.getElementsByTagName("parsererror").length) return { error: doc.getElementsByTagName("parsererror")[0].textContent };
      const ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
      const byId = new Map([...doc.getElementsByTagName("resource")].map((r) => [r.getAttribute("identifier"), r]));
      return {
        schema: doc.querySelector("metadata > schema")?.textContent,
        version: doc.querySelector("metadata > schemaversion")?.textContent,
        course: doc.querySelector("organization > title")?.textContent,
        metadataTitle: doc.getElementsByTagNameNS("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "langstring")[0]?.textContent,
        items: [...doc.querySelectorAll("organization > item")].map((item) => {
          const resource = byId.get(item.getAttribute("identifierref"));
          return {
            title: item.querySelector("title")?.textContent,
            type: resource?.getAttributeNS(ADLCP, "scormtype"),
            href: resource?.getAttribute("href"),
            dependsOnSite: [...(resource?.getElementsByTagName("dependency") ?? [])].some((d) => d.getAttribute("identifierref") === "site"),
          };
        }),
        siteFiles: [...(byId.get("site")?.getElementsByTagName("file") ?? [])].map((f) => f.getAttribute("href")),
      };
    }, files.get("imsmanifest.xml").toString("utf8"));
    assert.equal(manifest.error, undefined, "the manifest is well-formed XML");
    assert.equal(manifest.schema, "ADL SCORM");
    assert.equal(manifest.version, "1.2");
    assert.match(manifest.course, /Socket Lab.*COMPS381F/);
    assert.equal(manifest.metadataTitle, manifest.course, "the metadata names the course");

    // One SCO per lesson, in the course's order, each launching the site at its lesson.
    const ids = lessonIds();
    assert.equal(manifest.items.length, ids.length, "one item per lesson");
    for (const [i, item] of manifest.items.entries()) {
      assert.equal(item.type, "sco", `${item.title}: a SCO`);
      assert.ok(item.dependsOnSite, `${item.title}: depends on the site's files`);
      const url = new URL(item.href, "http://lms.example/");
      assert.equal(url.searchParams.get("lesson"), ids[i], `${item.title}: opens lesson ${ids[i]}`);
      assert.ok(files.has(url.pathname.slice(1)), `${item.title}: its launch file ${url.pathname} is in the package`);
      assert.match(item.title, new RegExp(`^${i + 1}\\. `));
    }
    // Every file of the site is listed, and every listed file is there.
    const site_files = [...files.keys()].filter((n) => n !== "imsmanifest.xml").sort();
    assert.deepEqual([...manifest.siteFiles].sort(), site_files, "the site's files, each listed once");
    for (const needed of ["index.html", "socketlab.js", "socketlab_bg.wasm", "app.css", "boot.js"]) {
      assert.ok(files.has(needed), `${needed} is in the package`);
    }

    // Served from the unpacked package by a plain static server, a SCO's launch address opens
    // its lesson, with no request to another origin and no error.
    const five = manifest.items[4];
    await page.goto(new URL(five.href, site.url).href);
    await page.getByText("Lesson 5 · Step 1 of 2").waitFor();
    assert.deepEqual(await w.problems(), []);
    await w.context.close();
  } finally {
    await chrome.close();
    await site.close();
  }
});
