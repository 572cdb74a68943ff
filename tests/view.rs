//! The stage's and the flow graph's geometry, for every built-in scene at a phone's and a
//! desktop's width: nothing is drawn on top of anything, and every piece of text is readable.
//! (The browser tests check the same again on the rendered page.)
#![cfg(not(target_arch = "wasm32"))]

use socketlab::engine::time::Instant;
use socketlab::view::scenes::{Scene, SCENES};
use socketlab::view::stage::{self, StageDraw, NARROW, WIDE};
use socketlab::view::{flow, Rect};

/// Stage widths as the page gives them: 360 and 390 px phones, a 1280 px desktop.
/// Phones and a laptop; a height of 0 is a lesson's stage, its hosts stacked as tight as can be.
const SCREENS: [(f64, f64); 5] = [
    (352.0, 640.0),
    (382.0, 844.0),
    (700.0, 800.0),
    (352.0, 0.0),
    (382.0, 0.0),
];

/// Every moment of the scene and the middle of each gap between two: where packets are.
fn sample_times(scene: &Scene) -> Vec<i64> {
    let m: Vec<i64> = scene.moments.iter().map(|t| t.total_micros()).collect();
    let mut out = m.clone();
    out.extend(m.windows(2).map(|w| (w[0] + w[1]) / 2));
    out.sort_unstable();
    out
}

/// The labels' boxes at `t` (packets drawn as dots left out), with their link.
fn label_boxes(draw: &StageDraw, scene: &Scene, t: i64) -> Vec<(usize, Rect)> {
    scene
        .in_flight_indices(Instant::from_micros(t))
        .filter(|&i| draw.label_slot(i).is_some())
        .filter_map(|i| Some((draw.flights[i].link, draw.box_at(i, t)?)))
        .collect()
}

#[test]
fn no_label_ever_covers_another_label_or_a_host_in_any_scene_at_any_size() {
    for (i, id) in SCENES.iter().enumerate() {
        let scene = Scene::load(i).unwrap();
        for (w, h) in SCREENS {
            let draw = StageDraw::new(&scene, w, h);
            for t in sample_times(&scene) {
                let boxes = label_boxes(&draw, &scene, t);
                assert!(
                    boxes.len() <= stage::MAX_LABELS,
                    "{id} at {w} px, {t} µs: {} labels at once",
                    boxes.len()
                );
                for (k, (_, a)) in boxes.iter().enumerate() {
                    for host in &draw.geom.hosts {
                        assert!(
                            !host.rect.intersects(a),
                            "{id} at {w} px, {t} µs: a label covers a host box"
                        );
                    }
                    for (_, b) in &boxes[k + 1..] {
                        assert!(
                            !a.intersects(b),
                            "{id} at {w} px, {t} µs: two labels overlap: {a:?} {b:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_slides_scene_labels_every_packet_at_every_size() {
    let scene = Scene::load(0).unwrap();
    assert_eq!(scene.id, "slides");
    for (w, h) in SCREENS {
        let draw = StageDraw::new(&scene, w, h);
        assert!(
            draw.slots.iter().all(Option::is_some) && draw.labelled.iter().all(|l| *l),
            "at {w} px every packet has a lane and shows its label: {:?} {:?}",
            draw.slots,
            draw.labelled
        );
    }
}

#[test]
fn where_labels_would_meet_near_a_busy_host_the_later_packets_are_dots() {
    let id = SCENES
        .iter()
        .position(|s| *s == "stress-50-clients")
        .unwrap();
    let scene = Scene::load(id).unwrap();
    for (w, h) in SCREENS {
        let draw = StageDraw::new(&scene, w, h);
        let dots = draw.labelled.iter().filter(|l| !**l).count();
        assert!(dots > 0, "at {w} px the busy scene needs dots");
        assert!(
            draw.labelled.iter().any(|l| *l),
            "at {w} px some packets still show their labels"
        );
    }
}

#[test]
fn phones_stack_the_hosts_and_desktops_put_them_side_by_side() {
    let scene = Scene::load(0).unwrap();
    let phone = StageDraw::new(&scene, 352.0, 640.0).geom;
    assert!(phone.narrow);
    let (client, server) = (phone.hosts[0].rect, phone.hosts[1].rect);
    assert!(
        server.y > client.y + client.h,
        "the server is below the client"
    );
    assert!(client.w > 300.0, "full width");
    let desktop = StageDraw::new(&scene, 700.0, 800.0).geom;
    assert!(!desktop.narrow);
    assert_eq!(
        desktop.hosts[0].rect.y, desktop.hosts[1].rect.y,
        "side by side"
    );
    assert!(desktop.hosts[1].rect.x > desktop.hosts[0].rect.x + desktop.hosts[0].rect.w);
}

#[test]
fn every_size_of_text_on_the_stage_and_in_the_flow_graph_is_at_least_12_px() {
    for s in [WIDE, NARROW] {
        for size in [s.name, s.mono, s.chip_font, flow::FONT] {
            assert!(size >= 12.0, "{s:?}");
        }
    }
}

#[test]
fn a_host_box_has_room_for_its_name_its_address_and_its_lines() {
    for (i, id) in SCENES.iter().enumerate() {
        let scene = Scene::load(i).unwrap();
        for (w, h) in SCREENS {
            let g = StageDraw::new(&scene, w, h).geom;
            let bounds = Rect {
                x: 0.0,
                y: 0.0,
                w: g.width,
                h: g.height,
            };
            for (k, host) in g.hosts.iter().enumerate() {
                assert!(
                    host.rect.inside(&bounds),
                    "{id} at {w} px: host {k} is on the stage"
                );
                let last = host
                    .callout
                    .or(host.programs.last().copied())
                    .map_or(host.ip.y, |at| at.y);
                assert!(
                    last < host.rect.y + host.rect.h,
                    "{id} at {w} px: the lines fit in the box"
                );
                assert!(
                    host.chars >= 14,
                    "{id} at {w} px: {} characters a line",
                    host.chars
                );
                for other in &g.hosts[k + 1..] {
                    assert!(
                        !host.rect.intersects(&other.rect),
                        "{id} at {w} px: two host boxes overlap"
                    );
                }
            }
        }
    }
}

#[test]
fn the_flow_graph_spreads_lifelines_so_labels_fit_and_scrolls_when_they_cannot() {
    // Two hosts fit a phone; their labels fit between the lifelines.
    let g = flow::layout(340.0, 2, 18, 9);
    assert_eq!(g.width, 340.0, "no sideways scroll");
    assert!(g.label_chars(0, Some(1)) >= 18);
    // Three hosts at a desktop's width: every lifeline inside the box.
    let g = flow::layout(560.0, 3, 22, 30);
    assert!(g.xs.iter().all(|x| *x < 560.0), "{:?}", g.xs);
    assert!(g.label_chars(0, Some(1)) >= 22);
    // Six hosts on a phone cannot fit: the graph is wider than the box and scrolls.
    let g = flow::layout(340.0, 6, 20, 10);
    assert!(g.width > 340.0);
    assert!(g.label_chars(0, Some(1)) >= 20);
    // One row per segment: rows never share a line.
    assert!(g.row_y(1) - g.row_y(0) >= flow::FONT * 1.5);
}

/// A predict question marks its segment: on every lesson's stage, at every size, it is the only
/// packet with a label, and its label (with "this segment" where it fits) stays off every host
/// for its whole trip.
#[test]
fn a_questions_segment_is_the_one_label_and_clears_every_host() {
    use socketlab::lessons::{Ask, Moment};
    let mut marked = 0;
    for lesson in socketlab::lessons::words::shipped() {
        let scene = Scene::load(Scene::index_of(&lesson.scenario).unwrap()).unwrap();
        for step in &lesson.steps {
            let (Some(q), Moment::BeforeSegment(n)) = (&step.question, &step.at) else {
                continue;
            };
            if !matches!(q.ask, Ask::Predict { .. }) {
                continue;
            }
            let i = scene
                .flights
                .iter()
                .position(|f| f.seg.0 == *n)
                .expect("the segment travels a link");
            for (w, h) in SCREENS {
                let draw = StageDraw::new(&scene, w, h);
                let long = format!(
                    "this segment: {}",
                    scene.text(scene.flights[i].seg).unwrap().short
                );
                let Some(d) = draw
                    .marking(i, stage::columns(&long))
                    .or_else(|| draw.marking(i, 20))
                else {
                    continue;
                };
                marked += 1;
                let labelled: Vec<usize> = (0..d.flights.len())
                    .filter(|&j| d.label_slot(j).is_some())
                    .collect();
                assert_eq!(labelled, vec![i], "{} at {w}x{h}", lesson.id);
                let f = d.flights[i];
                let mut t = f.shown.0;
                while t < f.shown.1 {
                    let b = d.box_at(i, t).unwrap();
                    for host in &d.geom.hosts {
                        assert!(
                            !host.rect.intersects(&b),
                            "{} at {w}x{h}: the label meets a host at {t} µs",
                            lesson.id
                        );
                    }
                    t += ((f.shown.1 - f.shown.0) / 50).max(1);
                }
            }
        }
    }
    assert!(
        marked >= 20,
        "only {marked} question segments could be labelled"
    );
}
