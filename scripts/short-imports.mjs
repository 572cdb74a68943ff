// Shorter names for what the app's wasm imports from its JavaScript glue. wasm-bindgen names
// each import after the Web API it calls plus a 16-digit hash (`__wbg_addEventListener_f2d2…`),
// and its one module after the glue's file (`./socketlab_bg.js`, repeated per import). Each name
// is written twice, in the wasm's import section and as a key of the glue's import object, and
// the hashes do not compress: together about 12 KB raw on the page's startup path. Here each
// import gets a short name (`a`, `b`, … `aa`, …) and the module is `a`, in both files at once.
// Nothing else in either file changes: the wasm's other sections are copied byte for byte.
// A name that is not exactly one key of the glue stops the build (a new wasm-bindgen may write
// its glue differently; then this needs a look rather than a guess).

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function toLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

/** The offset after an import's description (its kind and type) at `at`. */
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = leb(bytes, p);
    if (flags & 1) [, p] = leb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: // a function: its type index
      return leb(bytes, at)[1];
    case 1: // a table: its element type, then limits
      return limits(at + 1);
    case 2: // a memory: limits
      return limits(at);
    case 3: // a global: its value type and mutability
      return at + 2;
    default:
      throw new Error(`scripts/short-imports.mjs: an import of kind ${kind}, which this does not read`);
  }
}

/** The short name number `i`: a…z, A…Z, then two letters and on. */
function shortName(i) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name = letters[i % letters.length] + name;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return name;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * `wasm` (bytes) and `glue` (the wasm-bindgen JavaScript that instantiates it, as text) with
 * every import from `module` renamed short, in both. Returns { wasm, glue, names }.
 */
export function shortenImports(wasm, glue, module) {
  if (text.decode(wasm.subarray(0, 4)) !== "\0asm") throw new Error("scripts/short-imports.mjs: not a wasm file");
  const out = [wasm.subarray(0, 8)];
  const names = new Map();
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    let size;
    [size, at] = leb(wasm, at);
    const end = at + size;
    if (id !== 2) {
      out.push(wasm.subarray(start, end));
      at = end;
      continue;
    }
    let count;
    [count, at] = leb(wasm, at);
    const body = [...toLeb(count)];
    for (let i = 0; i < count; i++) {
      const field = () => {
        let n;
        [n, at] = leb(wasm, at);
        const s = text.decode(wasm.subarray(at, at + n));
        at += n;
        return s;
      };
      const from = field();
      const name = field();
      const descEnd = skipDescription(wasm, at);
      const ours = from === module;
      let short = name;
      if (ours) {
        if (!names.has(name)) names.set(name, shortName(names.size));
        short = names.get(name);
      }
      for (const s of [ours ? "a" : from, short]) {
        const b = utf8.encode(s);
        body.push(...toLeb(b.length), ...b);
      }
      body.push(...wasm.subarray(at, descEnd));
      at = descEnd;
    }
    if (at !== end) throw new Error("scripts/short-imports.mjs: the import section did not end where its size said");
    out.push(Uint8Array.of(2, ...toLeb(body.length), ...body));
  }
  let js = glue;
  const replaceOnce = (pattern, by, what) => {
    const hits = js.match(new RegExp(pattern, "g")) ?? [];
    if (hits.length !== 1) throw new Error(`scripts/short-imports.mjs: the glue names ${what} ${hits.length} times, not once`);
    js = js.replace(new RegExp(pattern), by);
  };
  for (const [name, short] of names) replaceOnce(`(?<![\\w$])${name}(?=\\s*:)`, short, name);
  const quoted = JSON.stringify(module).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  replaceOnce(`${quoted}(?=\\s*:)`, "a", module);
  const bytes = new Uint8Array(out.reduce((n, part) => n + part.length, 0));
  let o = 0;
  for (const part of out) {
    bytes.set(part, o);
    o += part.length;
  }
  return { wasm: bytes, glue: js, names };
}
