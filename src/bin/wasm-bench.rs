//! The timeline's seek, measured in WebAssembly (the build the browser runs: the release
//! profile, size-optimised). Built and run under Node.js by `bash benches/wasm-seek.sh`.

#[cfg(target_arch = "wasm32")]
mod bench {
    use socketlab::engine::rng::Rng;
    use socketlab::engine::time::Instant;
    use socketlab::engine::Timeline;
    use socketlab::workloads::churn;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// performance.now(), in milliseconds: Node.js and browsers both have it.
    fn now_ms() -> f64 {
        js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|perf| {
                let now = js_sys::Reflect::get(&perf, &"now".into())
                    .ok()?
                    .dyn_into::<js_sys::Function>()
                    .ok()?;
                now.call0(&perf).ok()?.as_f64()
            })
            .unwrap_or_else(js_sys::Date::now)
    }

    fn log(line: &str) {
        web_sys::console::log_1(&line.into());
    }

    #[wasm_bindgen(start)]
    pub fn run() {
        let connections = 10_000;
        let start = now_ms();
        let timeline = Timeline::record(churn(connections, 100), Instant::from_secs(3600));
        log(&format!(
            "wasm: session of {connections} connections, {} events, recorded in {:.2} s",
            timeline.events().len(),
            (now_ms() - start) / 1000.0
        ));
        let mut rng = Rng::new(7);
        let span = timeline.end().total_micros() as u64;
        let mut times = Vec::new();
        for _ in 0..2000 {
            let t = Instant::from_micros(rng.below(span) as i64);
            let s = now_ms();
            let snap = timeline.seek(t);
            times.push(now_ms() - s);
            drop(snap);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
        log(&format!(
            "wasm: seek to a random moment (2000 seeks): mean {:.3} ms, p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms (aim: under 16 ms)",
            times.iter().sum::<f64>() / times.len() as f64,
            at(0.5),
            at(0.95),
            times[times.len() - 1]
        ));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("wasm-bench runs in WebAssembly: bash benches/wasm-seek.sh");
    std::process::exit(2);
}
