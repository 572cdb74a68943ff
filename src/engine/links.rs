//! The links between hosts and the segments on them: which link joins two hosts, whether it is
//! up, the faults it draws for each segment (from a generator of its own), and every segment in
//! flight until it arrives. Hosts are not its business: the simulation says which host a
//! packet is for and whether both ends are up.

use crate::vecmap::VecMap;
use std::rc::Rc;

use super::event::{DropReason, EventKind, SegmentId, SegmentSent};
use super::net::{HostId, LinkId, LinkSpec};
use super::packet::PacketSummary;
use super::recorder::Recorder;
use super::rng::Rng;
use super::snapshot::{progress, FlightView};
use super::time::{Duration, Instant};

/// A link: how it was made, whether it is up, and the generator its faults draw from (its own,
/// so adding a link elsewhere does not change what happens on this one).
struct Link {
    spec: LinkSpec,
    up: bool,
    rng: Rng,
}

/// A segment on its way.
pub(crate) struct Flight {
    /// Lost on the way: it vanishes when it would have arrived.
    pub lost: bool,
    pub seg: SegmentId,
    pub from: HostId,
    pub to: HostId,
    pub link: LinkId,
    pub depart: Instant,
    pub bytes: Rc<[u8]>,
    pub summary: PacketSummary,
}

/// Where a packet is going, as the simulation found it.
pub(crate) enum Route {
    /// No host has the destination address.
    Nowhere,
    /// Host `to` has it; `up` says whether both it and the sender are up.
    To { to: HostId, up: bool },
}

#[derive(Default)]
pub(crate) struct Links {
    links: Vec<Link>,
    /// Segments on their way, by arrival time, then by the order they were sent.
    flights: VecMap<(Instant, SegmentId), Flight>,
}

impl Links {
    /// Add a link whose faults draw from `rng`. The caller has checked its ends.
    pub fn add(&mut self, spec: LinkSpec, rng: Rng) -> LinkId {
        self.links.push(Link {
            spec,
            up: true,
            rng,
        });
        LinkId(self.links.len() - 1)
    }

    pub fn specs(&self) -> impl Iterator<Item = &LinkSpec> {
        self.links.iter().map(|l| &l.spec)
    }

    pub fn exists(&self, link: LinkId) -> bool {
        link.0 < self.links.len()
    }

    /// The link that joins hosts `a` and `b`, if any.
    pub fn between(&self, a: HostId, b: HostId) -> Option<LinkId> {
        self.links
            .iter()
            .position(|l| l.spec.joins(a, b))
            .map(LinkId)
    }

    pub fn is_up(&self, link: LinkId) -> bool {
        self.links.get(link.0).is_some_and(|l| l.up)
    }

    pub fn set_up(&mut self, link: LinkId, up: bool) {
        if let Some(l) = self.links.get_mut(link.0) {
            l.up = up;
        }
    }

    /// When the next segment arrives.
    pub fn next_arrival(&self) -> Option<Instant> {
        self.flights.keys().next().map(|(t, _)| *t)
    }

    /// The first segment due by `t`, taken off its link.
    pub fn take_due(&mut self, t: Instant) -> Option<Flight> {
        let ((due, _), _) = self.flights.first_key_value()?;
        if *due > t {
            return None;
        }
        self.flights.pop_first().map(|(_, v)| v)
    }

    /// Every segment in flight as the view draws it at `now`.
    pub fn views(&self, now: Instant) -> Vec<FlightView> {
        self.flights
            .iter()
            .map(|((arrive, _), f)| FlightView {
                seg: f.seg,
                link: f.link,
                from: f.from,
                to: f.to,
                depart: f.depart,
                arrive: *arrive,
                progress: progress(f.depart, *arrive, now),
                summary: f.summary.clone(),
            })
            .collect()
    }

    /// A packet leaves host `from` now for `route`: it is recorded and put on the link that
    /// joins the two hosts, with that link's faults drawn, or recorded as dropped (no route, a
    /// host or the link down).
    pub fn send(
        &mut self,
        rec: &mut Recorder,
        from: HostId,
        route: Route,
        bytes: Vec<u8>,
        summary: PacketSummary,
    ) {
        let bytes: Rc<[u8]> = bytes.into();
        let found = match route {
            Route::To { to, up } => self.between(from, to).map(|link| (to, link, up)),
            Route::Nowhere => None,
        };
        let Some((to, link, up)) = found else {
            let out = Outgoing::new(from, None, rec.now, (bytes, summary));
            let seg = out.record(rec);
            rec.emit(EventKind::SegmentDropped {
                seg,
                reason: DropReason::NoRoute,
            });
            return;
        };
        let l = &mut self.links[link.0];
        let down = match (up, l.up) {
            (false, _) => Some(DropReason::HostDown),
            (true, false) => Some(DropReason::LinkDown),
            (true, true) => None,
        };
        if let Some(reason) = down {
            let out = Outgoing::new(from, Some((to, link)), rec.now, (bytes, summary));
            let seg = out.record(rec);
            rec.emit(EventKind::SegmentDropped { seg, reason });
            return;
        }
        let (latency, faults) = (l.spec.latency, l.spec.faults);
        // Draw only for the faults the link has, so a clean link's runs never change.
        let rng = &mut l.rng;
        let mut delay = latency;
        if faults.jitter > Duration::ZERO {
            delay += Duration::from_micros(rng.below(faults.jitter.total_micros() + 1));
        }
        if faults.reorder > 0.0 && chance(rng, faults.reorder) {
            delay += latency;
        }
        let lost = faults.loss > 0.0 && chance(rng, faults.loss);
        let copy = faults.duplicate > 0.0 && chance(rng, faults.duplicate);
        let arrive = rec.now + delay;
        let out = Outgoing::new(from, Some((to, link)), arrive, (bytes, summary));
        // Only a segment drawn to be duplicated is copied.
        let twin = copy.then(|| out.clone());
        let seg = self.launch(rec, out, lost);
        if let Some(mut twin) = twin {
            // The copy trails the original by a tenth of the latency.
            twin.arrive = arrive + Duration::from_micros((latency.total_micros() / 10).max(1));
            twin.copy_of = Some(seg);
            self.launch(rec, twin, false);
        }
    }

    /// Record a segment leaving on its link now and keep it in flight until it arrives.
    fn launch(&mut self, rec: &mut Recorder, out: Outgoing, lost: bool) -> SegmentId {
        let (from, way, arrive) = (out.from, out.way, out.arrive);
        let (bytes, summary, depart) = (out.bytes.clone(), out.summary.clone(), rec.now);
        let seg = out.record(rec);
        if let Some((to, link)) = way {
            let flight = Flight {
                lost,
                seg,
                from,
                to,
                link,
                depart,
                bytes,
                summary,
            };
            self.flights.insert((arrive, seg), flight);
        }
        seg
    }
}

/// A segment about to be recorded as leaving now.
#[derive(Clone)]
struct Outgoing {
    from: HostId,
    /// The host it is for and the link it takes; None when it goes nowhere.
    way: Option<(HostId, LinkId)>,
    arrive: Instant,
    bytes: Rc<[u8]>,
    summary: PacketSummary,
    copy_of: Option<SegmentId>,
}

impl Outgoing {
    fn new(
        from: HostId,
        way: Option<(HostId, LinkId)>,
        arrive: Instant,
        (bytes, summary): (Rc<[u8]>, PacketSummary),
    ) -> Outgoing {
        Outgoing {
            from,
            way,
            arrive,
            bytes,
            summary,
            copy_of: None,
        }
    }

    /// Record it leaving now; its number.
    fn record(self, rec: &mut Recorder) -> SegmentId {
        let seg = rec.new_seg_id();
        rec.emit(EventKind::SegmentSent(Box::new(SegmentSent {
            seg,
            from: self.from,
            to: self.way.map(|(to, _)| to),
            link: self.way.map(|(_, link)| link),
            depart: rec.now,
            arrive: self.arrive,
            bytes: self.bytes,
            summary: self.summary,
            copy_of: self.copy_of,
        })));
        seg
    }
}

/// True with probability `p` (0.0–1.0).
fn chance(rng: &mut Rng, p: f64) -> bool {
    ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
}
