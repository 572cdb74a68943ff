//! What the import's page is given of a capture: the whole file's counts, and the part of it
//! the view shows (a cut: the first connections, or a time window), with that part's packets
//! and socket tables. The capture's worker (`src/bin/socketlab-capture.rs`) reads the file and
//! answers each cut the page asks for, in postcard's compact form.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use super::infer::{infer, Inferred};
use super::read::{Capture, Format, Packet, Refused, Skip, Stop, Transport};

/// The most packets a cut shows: more is cut again, and said.
pub const MOST_SHOWN: usize = 2_000;
/// The most bytes of each packet kept for the page (its headers and its payload's start).
pub const MOST_BYTES: usize = 256;
/// How many connections a capture first shows.
pub const FIRST_CONNECTIONS: usize = 10;

/// Which part of a capture the view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cut {
    /// The packets of the capture's first `count` connections (TCP or UDP), in its order.
    Connections { count: usize },
    /// The packets from `from` to `to` microseconds after the capture's first.
    Window { from: i64, to: i64 },
}

/// One packet as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownPacket {
    pub frame: usize,
    /// Microseconds after the capture's first packet.
    pub at: i64,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub transport: Transport,
    /// The IP packet's first bytes, as captured (at most [`MOST_BYTES`]).
    pub bytes: Vec<u8>,
}

/// The whole capture's counts, and the cut shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub format: Format,
    pub frames: usize,
    pub packets: usize,
    pub connections: usize,
    pub hosts: usize,
    pub skipped: Vec<(Skip, usize)>,
    pub stop: Option<Stop>,
    /// How long the capture lasts, first packet to last, in microseconds.
    pub span: i64,
    pub cut: Cut,
    /// The cut held more than [`MOST_SHOWN`] packets: only its first are shown.
    pub cut_again: bool,
    pub shown: Vec<ShownPacket>,
    /// The shown packets' hosts, connections and tables (its changes' times, as the packets',
    /// in microseconds after the capture's first packet).
    pub inferred: Inferred,
    /// Times that went backwards in the file (a merged capture): shown in the file's order.
    pub out_of_order: usize,
}

/// The worker's answer to a file or a cut.
pub type Answer = Result<Shown, Refused>;

/// A capture file the worker has read, kept for the cuts the page asks for.
pub struct Opened {
    file: Vec<u8>,
    cap: Capture,
    /// Each packet's connection over the whole capture, to cut by connections.
    whole: Vec<usize>,
    /// How many hosts the whole capture has.
    hosts: usize,
}

impl Opened {
    /// Read `file`, telling `progress` how many of its bytes have been read as it goes.
    pub fn new(file: Vec<u8>, progress: &mut dyn FnMut(usize)) -> Result<Opened, Refused> {
        let cap = super::read::read(&file, progress)?;
        let all = infer(&cap.packets);
        Ok(Opened {
            file,
            cap,
            whole: all.conn_of,
            hosts: all.hosts.len(),
        })
    }

    /// The part of the capture that `cut` shows.
    pub fn shown(&self, cut: Cut) -> Shown {
        shown(&self.file, &self.cap, &self.whole, self.hosts, cut)
    }
}

fn shown(file: &[u8], cap: &Capture, whole: &[usize], hosts: usize, cut: Cut) -> Shown {
    let start = cap.packets.first().map_or(0, |p| p.at);
    let end = cap.packets.last().map_or(0, |p| p.at);
    let connections = whole.iter().copied().max().map_or(0, |m| m + 1);
    let chosen: Vec<usize> = match cut {
        Cut::Connections { count } => (0..cap.packets.len())
            .filter(|&i| whole[i] < count)
            .collect(),
        Cut::Window { from, to } => (0..cap.packets.len())
            .filter(|&i| (from..=to).contains(&(cap.packets[i].at - start)))
            .collect(),
    };
    let cut_again = chosen.len() > MOST_SHOWN;
    let shown: Vec<ShownPacket> = chosen
        .iter()
        .take(MOST_SHOWN)
        .map(|&i| {
            let p = &cap.packets[i];
            let bytes = p.ip_bytes(file);
            ShownPacket {
                frame: p.frame,
                at: p.at - start,
                src: p.src,
                dst: p.dst,
                transport: p.transport,
                bytes: bytes[..bytes.len().min(MOST_BYTES)].to_vec(),
            }
        })
        .collect();
    // Inferred on the shown packets' own clock (from the capture's first packet), so that a
    // change's time is one with its packet's.
    let packets: Vec<_> = chosen
        .iter()
        .take(MOST_SHOWN)
        .map(|&i| Packet {
            at: cap.packets[i].at - start,
            ..cap.packets[i].clone()
        })
        .collect();
    Shown {
        format: cap.format,
        frames: cap.frames,
        packets: cap.packets.len(),
        connections,
        hosts,
        skipped: cap.skipped.clone(),
        stop: cap.stop,
        span: end - start,
        cut,
        cut_again,
        shown,
        inferred: infer(&packets),
        out_of_order: cap.packets.windows(2).filter(|w| w[1].at < w[0].at).count(),
    }
}

/// The page's request, as bytes.
pub fn encode_cut(cut: Cut) -> Vec<u8> {
    postcard::to_allocvec(&cut).unwrap_or_default()
}

pub fn decode_cut(bytes: &[u8]) -> Option<Cut> {
    postcard::from_bytes(bytes).ok()
}

pub fn encode_answer(answer: &Answer) -> Vec<u8> {
    postcard::to_allocvec(answer).unwrap_or_default()
}

pub fn decode_answer(bytes: &[u8]) -> Option<Answer> {
    postcard::from_bytes(bytes).ok()
}
