// Trunk's post-build hook (Trunk.toml): in a release build, minifies every JavaScript file of
// the site with terser (pinned in package.json): wasm-bindgen's glue, boot.js, stage.js and the
// LMS bridge. Trunk's own minifier cannot parse wasm-bindgen's module, and the other files are
// copied as they are. Comments and long names go; what the code does does not change.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("scripts/minify.mjs runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)");
if (process.env.TRUNK_PROFILE === "release") {
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const path = join(dir, name);
    const code = readFileSync(path, "utf8");
    // stage.js is a classic script (a worker, or a page script where a worker cannot draw): its
    // top-level names stay as they are. The others are modules.
    const module = name !== "stage.js";
    const out = await minify(code, { module, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
    writeFileSync(path, out.code);
  }
}
