// End-to-end: the SCORM 1.2 package that scripts/package.sh builds. The zip is unpacked the way
// an LMS unpacks it; its manifest must be well formed, name one SCO per lesson whose launch file
// is in the package, and list every file of the site. Then the unpacked package, served by a
// plain static server, opens a lesson at a SCO's launch address.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lessonFiles, serveDist, launchChromium, openWatched, unpackPackage, VIEWPORTS } from "./harness.mjs";

test("the SCORM 1.2 package: a well-formed manifest, a SCO per lesson, every file listed, and a lesson opens from it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "socketlab-scorm-"));
  const files = unpackPackage(dir);
  assert.ok(files.has("imsmanifest.xml"), "imsmanifest.xml at the package's root");

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
    const ids = lessonFiles().map((l) => l.id);
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
