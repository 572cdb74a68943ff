//! The packet inspector: the chosen segment, layer by layer, read from its real bytes.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::event::{EventKind, SegmentId};
use crate::engine::packet::{escaped, hex_dump, payload, TcpOptions, Transport};
use crate::ui::components::controls::seconds;
use crate::ui::scenes::Scene;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub scene: Rc<Scene>,
    pub selected: Option<SegmentId>,
    pub on_close: Callback<()>,
}

fn field(name: &str, value: impl Into<String>) -> Html {
    html! { <div><dt>{ name.to_string() }</dt><dd>{ value.into() }</dd></div> }
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let sent = props.selected.and_then(|seg| {
        let i = props.scene.sent_index(seg)?;
        match &props.scene.timeline.events()[i].kind {
            EventKind::SegmentSent(s) => Some(s.clone()),
            _ => None,
        }
    });
    let Some(s) = sent else {
        return html! {
            <section id="panel-packet" class="inspector panel" aria-labelledby="inspector-title">
                <h2 id="inspector-title">{ "Packet inspector" }</h2>
                <p class="hint">{ "Choose a packet on the stage or in the event list to see it layer by layer." }</p>
            </section>
        };
    };
    let sum = &s.summary;
    let data = payload(&s.bytes);
    let close = props.on_close.clone();
    let transport = transport_fields(&sum.transport);
    let protocol = match &sum.transport {
        Transport::Tcp(_) => "6 (TCP)",
        Transport::Udp(_) => "17 (UDP)",
        Transport::Icmp(_) => "1 (ICMP)",
        Transport::Fragment { protocol: 17 } => "17 (UDP)",
        Transport::Fragment { .. } | Transport::Other { .. } => "other",
    };
    html! {
        <section id="panel-packet" class="inspector panel" aria-labelledby="inspector-title">
            <h2 id="inspector-title">{ format!("Packet inspector: segment {}", s.seg.0) }</h2>
            <p class="when">{ format!("Sent at {}, arrives at {}{}", seconds(s.depart), seconds(s.arrive), if s.copy_of.is_some() { " (a duplicate)" } else { "" }) }</p>
            <h3>{ "IPv4 (network layer)" }</h3>
            <dl class="fields">
                { field("Source address", sum.src.to_string()) }
                { field("Destination address", sum.dst.to_string()) }
                { field("Protocol", protocol) }
                { field("TTL", sum.ttl.to_string()) }
                { field("Total length", format!("{} bytes", sum.total_len)) }
                { field("Identification", format!("0x{:04x}", sum.ident)) }
                if let Some(f) = sum.fragment {
                    { field("Fragment", format!("bytes from {} of the datagram; {}", f.offset, if f.more { "more fragments follow" } else { "the last fragment" })) }
                }
            </dl>
            { transport }
            <h3>{ "Payload (application data)" }</h3>
            if data.is_empty() {
                <p class="hint">{ empty_payload(&sum.transport) }</p>
            } else {
                <p class="payload-text">{ escaped(data) }</p>
                <pre class="hex" aria-label="Payload as hex">{ hex_dump(data) }</pre>
            }
            <button class="button" onclick={Callback::from(move |_: MouseEvent| close.emit(()))}>{ "Close inspector" }</button>
        </section>
    }
}

/// The transport layer's fields, as the inspector lists them.
fn transport_fields(t: &Transport) -> Html {
    match t {
        Transport::Tcp(t) => html! {
            <>
                <h3>{ "TCP (transport layer)" }</h3>
                <dl class="fields">
                    { field("Source port", t.src_port.to_string()) }
                    { field("Destination port", t.dst_port.to_string()) }
                    { field("Flags", t.flags.to_string()) }
                    { field("Sequence number", t.seq.to_string()) }
                    { field("Acknowledgment number", t.ack.map(|a| a.to_string()).unwrap_or_else(|| "– (no ACK flag)".into())) }
                    { field("Window", format!("{} bytes", t.window)) }
                    { field("Options", options(&t.options)) }
                    { field("Payload length", format!("{} bytes", t.payload_len)) }
                </dl>
            </>
        },
        Transport::Udp(u) => html! {
            <>
                <h3>{ "UDP (transport layer)" }</h3>
                <dl class="fields">
                    { field("Source port", u.src_port.to_string()) }
                    { field("Destination port", u.dst_port.to_string()) }
                    { field("Payload length", format!("{} bytes", u.payload_len)) }
                </dl>
            </>
        },
        Transport::Icmp(i) => html! {
            <>
                <h3>{ "ICMP" }</h3>
                <dl class="fields">{ field("Message", i.message.clone()) }</dl>
            </>
        },
        Transport::Fragment { .. } => {
            html! { <p>{ "No transport header: only a datagram's first fragment carries it." }</p> }
        }
        Transport::Other { protocol } => html! { <p>{ format!("IP protocol {protocol}") }</p> },
    }
}

/// A segment's TCP options in words: "MSS 1460 bytes; SACK permitted; timestamps: TSval 12,
/// TSecr 0; window scale 7 (×128)".
fn options(o: &TcpOptions) -> String {
    let mut parts = Vec::new();
    if let Some(m) = o.mss {
        parts.push(format!("MSS {m} bytes"));
    }
    if o.sack_permitted {
        parts.push("SACK permitted".to_string());
    }
    if let Some((v, e)) = o.timestamp {
        parts.push(format!("timestamps: TSval {v}, TSecr {e}"));
    }
    if let Some(w) = o.window_scale {
        parts.push(format!("window scale {w} (×{})", 1u32 << w.min(14)));
    }
    for (l, r) in &o.sack {
        parts.push(format!("SACK block {l}–{r}"));
    }
    for k in &o.unknown {
        parts.push(format!("option kind {k}"));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}

/// What a packet without application data carries instead.
fn empty_payload(t: &Transport) -> &'static str {
    match t {
        Transport::Tcp(_) => "No payload: this segment only carries TCP control information.",
        Transport::Udp(_) => "No payload: an empty UDP datagram.",
        Transport::Icmp(_) => "No application data: an ICMP message is for the stack, and it quotes the header of the packet it is about.",
        Transport::Fragment { .. } | Transport::Other { .. } => "No payload this inspector can read.",
    }
}
