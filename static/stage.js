// The stage's moving parts: every segment on the wire, drawn on one canvas at the clock's
// moment. The app (src/ui/components/packets.rs) sends the scene's flights once, the marked
// segments when they change, and the moment every animation frame; this file does the rest.
//
// It runs in a worker that owns the canvas (OffscreenCanvas), so drawing, rasterising and
// presenting the packets cost the page's main thread nothing. Where a browser cannot hand a
// canvas to a worker, the app loads this file into the page and calls the same painter.
//
// Messages (all positions in CSS pixels, times in µs of virtual time):
// - {type: "init", canvas, colours: [8 CSS colours], ink, mark}
// - {type: "size", width, height, scale, font}: nothing is drawn before the first
// - {type: "flights", data: Float64Array (FIELDS numbers per flight, sorted by show time),
//    labels: [string per flight, "" for a dot], reduced: bool}
// - {type: "marks", selected: seg or -1, marked: [seg…], dim: bool (a question marks one
//    segment: every other packet is drawn faint)}
// - a number: the moment to draw (and, if it was playing, stop).
// - {type: "play", since: real ms since the epoch (performance.timeOrigin + now), start: µs,
//    rate: µs per real ms on the wire, stop: µs, busy: Float64Array [from, to, …] µs}: play
//    from `start`, drawing at every animation frame the moment `Pace` gives (the page works out
//    the same moments with src/view/pace.rs, which this follows line for line), until `stop`.
"use strict";
// In a block, so that the minifier may shorten every name (nothing outside reads them).
{

  const FIELDS = 13;
  const [SHOW, HIDE, DEPART, ARRIVE, X0, Y0, X1, Y1, W, H, COLOUR, FLAGS, SEG] = [...Array(FIELDS).keys()];
  const LABELLED = 1;
  const RST = 2;
  const DOT_RADIUS = 7;
  const MARKED_RADIUS = 9;

  // How much faster time runs while nothing is on the wire (src/view/pace.rs, QUIET_FACTOR).
  const QUIET_FACTOR = 250;

  /** The first of `n` entries, sorted by `key`, whose key is after `t` (n if none is). */
  function firstAfter(n, key, t) {
    let [lo, hi] = [0, n];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Virtual time as a function of real time for one run of playback: src/view/pace.rs. */
  class Pace {
    constructor(m) {
      this.since = m.since;
      this.start = Math.min(m.start, m.stop);
      this.rate = m.rate > 0 && Number.isFinite(m.rate) ? m.rate : 40;
      this.stop = m.stop;
      this.busy = m.busy;
    }

    /** The first busy span starting after `t` (spans are pairs in `busy`). */
    index(t) {
      return firstAfter(this.busy.length >> 1, (k) => this.busy[2 * k], t);
    }

    /** At `t`, where spans before `i` start at or before it: [rate, where it changes next]. */
    span(t, i) {
      if (i > 0 && t < this.busy[2 * i - 1]) return [this.rate, Math.min(this.busy[2 * i - 1], this.stop)];
      const next = 2 * i < this.busy.length ? Math.min(this.busy[2 * i], this.stop) : this.stop;
      return [this.rate * QUIET_FACTOR, next];
    }

    /** The virtual time (µs) at real time `real` (ms since the epoch). */
    at(real) {
      let left = Math.max(0, real - this.since);
      let t = this.start;
      let i = this.index(t);
      while (t < this.stop) {
        const [rate, edge] = this.span(t, i);
        const need = (edge - t) / rate;
        if (left <= need) return Math.min(this.stop, t + left * rate);
        left -= need;
        t = edge;
        while (2 * i < this.busy.length && this.busy[2 * i] <= t) i++;
      }
      return this.stop;
    }
  }

  const realNow = () => performance.timeOrigin + performance.now();
  const nextFrame =
    typeof requestAnimationFrame === "function" ? (f) => requestAnimationFrame(f) : (f) => setTimeout(f, 16);

  class StagePainter {
    constructor() {
      this.ctx = null;
      this.data = new Float64Array(0);
      this.labels = [];
      this.longest = 0;
      this.reduced = false;
      this.selected = -1;
      this.marked = new Set();
      this.dim = false;
      this.t = 0;
    }

    handle(m) {
      if (typeof m === "number") {
        this.t = m;
        this.pace = null;
      } else if (m.type === "play") {
        this.pace = new Pace(m);
        this.t = this.pace.at(realNow());
        this.run();
        return;
      } else if (m.type === "init") {
        this.canvas = m.canvas;
        this.colours = m.colours;
        this.ink = m.ink;
        this.mark = m.mark;
      } else if (m.type === "size") {
        this.resize(m);
      } else if (m.type === "flights") {
        this.data = m.data;
        this.labels = m.labels;
        this.reduced = m.reduced;
        this.longest = 0;
        for (let i = 0; i < this.count(); i++) {
          this.longest = Math.max(this.longest, this.at(i, HIDE) - this.at(i, SHOW));
        }
      } else if (m.type === "marks") {
        this.selected = m.selected;
        this.marked = new Set(m.marked);
        this.dim = !!m.dim;
      }
      this.schedule();
    }

    /** While playing: a frame at every animation frame, at the moment the pace gives. */
    run() {
      if (this.running) return;
      this.running = true;
      const frame = () => {
        if (!this.pace) {
          this.running = false;
          return;
        }
        this.t = this.pace.at(realNow());
        this.draw();
        if (this.t >= this.pace.stop) {
          this.pace = null;
          this.running = false;
        } else {
          nextFrame(frame);
        }
      };
      nextFrame(frame);
    }

    /** Draw now, or, in a worker, once the messages already waiting have been read: a worker
     * that falls behind draws the latest moment once instead of every stale one. */
    schedule() {
      if (!this.coalesce) {
        this.draw();
      } else if (!this.due) {
        this.due = true;
        setTimeout(() => {
          this.due = false;
          this.draw();
        }, 0);
      }
    }

    resize(m) {
      this.width = m.width;
      this.height = m.height;
      this.font = m.font;
      this.canvas.width = Math.ceil(m.width * m.scale);
      this.canvas.height = Math.ceil(m.height * m.scale);
      this.ctx = this.canvas.getContext("2d");
      this.ctx.setTransform(m.scale, 0, 0, m.scale, 0, 0);
    }

    count() {
      return Math.floor(this.data.length / FIELDS);
    }

    at(i, field) {
      return this.data[i * FIELDS + field];
    }

    /** The first flight shown after `t` (flights are sorted by show time). */
    after(t) {
      return firstAfter(this.count(), (k) => this.at(k, SHOW), t);
    }

    /** Where flight i's box is at `t`: its top-left corner. */
    place(i, t) {
      const [depart, arrive] = [this.at(i, DEPART), this.at(i, ARRIVE)];
      let p = arrive > depart ? (t - depart) / (arrive - depart) : 1;
      if (this.reduced) p = 0.5;
      p = Math.min(1, Math.max(0, p));
      return [this.at(i, X0) + (this.at(i, X1) - this.at(i, X0)) * p, this.at(i, Y0) + (this.at(i, Y1) - this.at(i, Y0)) * p];
    }

    draw() {
      const ctx = this.ctx;
      if (!ctx) return;
      ctx.clearRect(0, 0, this.width, this.height);
      const t = this.t;
      // Only flights shown within the longest trip before `t` can still be on the wire.
      const [first, last] = [this.after(t - this.longest - 1), this.after(t)];
      // Dots first, one path per colour; labels over them.
      const dots = Array.from({ length: 9 }, () => []);
      const labelled = [];
      for (let i = first; i < last; i++) {
        if (!(this.at(i, SHOW) <= t && t < this.at(i, HIDE))) continue;
        const seg = this.at(i, SEG);
        const marked = this.marked.has(seg) || this.selected === seg;
        if (this.at(i, FLAGS) & LABELLED) labelled.push(i);
        else dots[marked ? 8 : this.at(i, COLOUR)].push(this.place(i, t));
      }
      for (let k = 0; k < dots.length; k++) {
        if (!dots[k].length) continue;
        const r = k === 8 ? MARKED_RADIUS : DOT_RADIUS;
        ctx.fillStyle = k === 8 ? this.mark : this.colours[k];
        ctx.globalAlpha = this.dim && k !== 8 ? 0.35 : 1;
        ctx.beginPath();
        for (const [x, y] of dots[k]) {
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      ctx.font = this.font;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (const i of labelled) this.label(i, t);
    }

    /** A labelled packet: a rounded box in its connection's colour with its label in white. */
    label(i, t) {
      const ctx = this.ctx;
      const [x, y] = this.place(i, t);
      const [w, h] = [this.at(i, W), this.at(i, H)];
      const seg = this.at(i, SEG);
      if (this.marked.has(seg)) {
        ctx.strokeStyle = "#ffb347";
        ctx.lineWidth = 4;
        ctx.beginPath();
        ctx.roundRect(x - 2, y - 2, w + 4, h + 4, 14);
        ctx.stroke();
      }
      ctx.beginPath();
      ctx.roundRect(x + 0.75, y + 0.75, w - 1.5, h - 1.5, 12);
      ctx.fillStyle = this.colours[this.at(i, COLOUR)];
      ctx.fill();
      const rst = this.at(i, FLAGS) & RST;
      ctx.setLineDash(rst ? [6, 4] : []);
      ctx.lineWidth = rst ? 3 : 1.5;
      ctx.strokeStyle = this.ink;
      ctx.stroke();
      ctx.setLineDash([]);
      if (this.selected === seg) {
        ctx.strokeStyle = "#000";
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.roundRect(x - 2.5, y - 2.5, w + 5, h + 5, 14);
        ctx.stroke();
      }
      ctx.fillStyle = "#fff";
      ctx.fillText(this.labels[i], x + w / 2, y + h / 2 + 1, w - 6);
    }
  }

  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
    const painter = new StagePainter();
    painter.coalesce = true;
    self.onmessage = (e) => painter.handle(e.data);
  } else {
    self.SocketLabStagePainter = StagePainter;
    self.SocketLabPace = Pace;
  }
}
