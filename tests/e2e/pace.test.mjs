// The stage's worker (static/stage.js) plays at the same pace as the page (src/view/pace.rs):
// both are checked on the cases in tests/data/pace.json, so at the same real time they draw
// and show the same moment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";

const root = new URL("../../", import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL("tests/data/pace.json", root), "utf8"));

function stagePace() {
  const context = { performance, setTimeout };
  context.self = context;
  runInNewContext(readFileSync(new URL("static/stage.js", root), "utf8"), context);
  return context.SocketLabPace;
}

test("the stage's worker finds the same moment as the page at every real time", () => {
  const Pace = stagePace();
  for (const [n, c] of cases.entries()) {
    const { since, start, speed, stop, busy } = c.pace;
    // The page sends the rate: 40 µs per ms at 1× (a speed that is no positive number is 1×).
    const pace = new Pace({ since, start, rate: 40 * speed, stop, busy: new Float64Array(busy.flat()) });
    for (const [real, t] of c.at) {
      const got = pace.at(real);
      assert.ok(Math.abs(got - t) < 1e-6, `case ${n}, at(${real}): ${got}, not ${t}`);
    }
  }
});
