// Trunk's post-build hook (Trunk.toml). In a release build:
// 1. terser (pinned in package.json) minifies every JavaScript file of the site: wasm-bindgen's
//    glue (Trunk's own minifier cannot parse it), boot.js, stage.js, lms.js, embed.js. Comments
//    and long names go; what the code does does not change.
// 2. sw.js, the service worker, gets the site's version (a hash of every other file) and the list
//    of files to keep offline. A development build leaves it with no files: it then keeps nothing.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { minify } from "terser";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("scripts/postbuild.mjs runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)");
/** `code` minified; a module's top-level names may go too, a classic script's stay. */
async function squeeze(code, module) {
  const out = await minify(code, { module, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  return out.code;
}

if (process.env.TRUNK_PROFILE === "release") {
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    // sw.js is minified below, once it is stamped. stage.js is a classic script (a worker, or a
    // page script where a worker cannot draw); the others are modules.
    if (name === "sw.js") continue;
    const path = join(dir, name);
    writeFileSync(path, await squeeze(readFileSync(path, "utf8"), name !== "stage.js"));
  }

  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  const site = files.filter((f) => f !== "sw.js");
  const hash = createHash("sha256");
  for (const f of site) hash.update(f).update(readFileSync(join(dir, f)));
  const version = hash.digest("hex").slice(0, 16);
  const sw = join(dir, "sw.js");
  const stamped = readFileSync(sw, "utf8")
    .replace(/^const VERSION = "dev";$/m, `const VERSION = ${JSON.stringify(version)};`)
    .replace(/^const FILES = \[\];$/m, `const FILES = ${JSON.stringify(site)};`);
  if (!stamped.includes(version)) throw new Error("sw.js has no `const VERSION = \"dev\";` line to stamp");
  writeFileSync(sw, await squeeze(stamped, false));
}
