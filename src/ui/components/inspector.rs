//! The packet inspector: the chosen segment, layer by layer, read from its real bytes.

use std::rc::Rc;

use crate::i18n::{t, tp, Msg};
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

fn field(name: Msg, value: impl Into<String>) -> Html {
    html! { <div><dt>{ t(name) }</dt><dd>{ value.into() }</dd></div> }
}

/// "{n} bytes", in the catalog's words.
fn bytes(n: impl ToString) -> String {
    tp(Msg::InspectorBytes, &[("n", &n.to_string())])
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    crate::ui::hooks::counted("Inspector");
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
                <h2 id="inspector-title">{ t(Msg::InspectorTitle) }</h2>
                <p class="hint">{ t(Msg::InspectorHint) }</p>
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
        Transport::Fragment { .. } | Transport::Other { .. } => "–",
    };
    html! {
        <section id="panel-packet" class="inspector panel has-packet" aria-labelledby="inspector-title">
            <h2 id="inspector-title">{ tp(Msg::InspectorSegment, &[("n", &s.seg.0.to_string())]) }</h2>
            <p class="when">{ tp(if s.copy_of.is_some() { Msg::InspectorWhenDuplicate } else { Msg::InspectorWhen }, &[("sent", &seconds(s.depart)), ("arrives", &seconds(s.arrive))]) }</p>
            <h3>{ t(Msg::InspectorIpv4) }</h3>
            <dl class="fields">
                { field(Msg::InspectorSourceAddress, sum.src.to_string()) }
                { field(Msg::InspectorDestAddress, sum.dst.to_string()) }
                { field(Msg::InspectorProtocol, protocol) }
                { field(Msg::InspectorTtl, sum.ttl.to_string()) }
                { field(Msg::InspectorTotalLength, bytes(sum.total_len)) }
                { field(Msg::InspectorIdentification, format!("0x{:04x}", sum.ident)) }
                if let Some(f) = sum.fragment {
                    { field(Msg::InspectorFragment, tp(if f.more { Msg::InspectorFragmentMore } else { Msg::InspectorFragmentLast }, &[("offset", &f.offset.to_string())])) }
                }
            </dl>
            { transport }
            <h3>{ t(Msg::InspectorPayload) }</h3>
            if data.is_empty() {
                <p class="hint">{ empty_payload(&sum.transport) }</p>
            } else {
                <p class="payload-text">{ escaped(data) }</p>
                <pre class="hex" aria-label={t(Msg::InspectorHex)}>{ hex_dump(data) }</pre>
            }
            <button class="button" onclick={Callback::from(move |_: MouseEvent| close.emit(()))}>{ t(Msg::InspectorClose) }</button>
        </section>
    }
}

/// The transport layer's fields, as the inspector lists them.
fn transport_fields(transport: &Transport) -> Html {
    match transport {
        Transport::Tcp(tcp) => html! {
            <>
                <h3>{ t(Msg::InspectorTcp) }</h3>
                <dl class="fields">
                    { field(Msg::InspectorSourcePort, tcp.src_port.to_string()) }
                    { field(Msg::InspectorDestPort, tcp.dst_port.to_string()) }
                    { field(Msg::InspectorFlags, tcp.flags.to_string()) }
                    { field(Msg::InspectorSeq, tcp.seq.to_string()) }
                    { field(Msg::InspectorAck, tcp.ack.map(|a| a.to_string()).unwrap_or_else(|| t(Msg::InspectorNoAck).to_string())) }
                    { field(Msg::InspectorWindow, bytes(tcp.window)) }
                    { field(Msg::InspectorOptions, options(&tcp.options)) }
                    { field(Msg::InspectorPayloadLength, bytes(tcp.payload_len)) }
                </dl>
            </>
        },
        Transport::Udp(u) => html! {
            <>
                <h3>{ t(Msg::InspectorUdp) }</h3>
                <dl class="fields">
                    { field(Msg::InspectorSourcePort, u.src_port.to_string()) }
                    { field(Msg::InspectorDestPort, u.dst_port.to_string()) }
                    { field(Msg::InspectorPayloadLength, bytes(u.payload_len)) }
                </dl>
            </>
        },
        Transport::Icmp(i) => html! {
            <>
                <h3>{ "ICMP" }</h3>
                <dl class="fields">{ field(Msg::InspectorMessage, crate::view::narrate::icmp_message(i)) }</dl>
            </>
        },
        Transport::Fragment { .. } => {
            html! { <p>{ t(Msg::InspectorNoTransport) }</p> }
        }
        Transport::Other { protocol } => {
            html! { <p>{ tp(Msg::InspectorOtherProtocol, &[("n", &protocol.to_string())]) }</p> }
        }
    }
}

/// A segment's TCP options in words: "MSS 1460 bytes; SACK permitted; timestamps: TSval 12,
/// TSecr 0; window scale 7 (×128)".
fn options(o: &TcpOptions) -> String {
    let mut parts = Vec::new();
    if let Some(m) = o.mss {
        parts.push(tp(Msg::InspectorMss, &[("n", &m.to_string())]));
    }
    if o.sack_permitted {
        parts.push(t(Msg::InspectorSackPermitted).to_string());
    }
    if let Some((v, e)) = o.timestamp {
        parts.push(tp(
            Msg::InspectorTimestamps,
            &[("tsval", &v.to_string()), ("tsecr", &e.to_string())],
        ));
    }
    if let Some(w) = o.window_scale {
        parts.push(tp(
            Msg::InspectorWindowScale,
            &[
                ("shift", &w.to_string()),
                ("factor", &(1u32 << w.min(14)).to_string()),
            ],
        ));
    }
    for (l, r) in &o.sack {
        parts.push(tp(
            Msg::InspectorSackBlock,
            &[("from", &l.to_string()), ("to", &r.to_string())],
        ));
    }
    for k in &o.unknown {
        parts.push(tp(Msg::InspectorOptionKind, &[("n", &k.to_string())]));
    }
    if parts.is_empty() {
        t(Msg::InspectorNone).to_string()
    } else {
        parts.join("; ")
    }
}

/// What a packet without application data carries instead.
fn empty_payload(transport: &Transport) -> Rc<str> {
    t(match transport {
        Transport::Tcp(_) => Msg::InspectorEmptyTcp,
        Transport::Udp(_) => Msg::InspectorEmptyUdp,
        Transport::Icmp(_) => Msg::InspectorEmptyIcmp,
        Transport::Fragment { .. } | Transport::Other { .. } => Msg::InspectorEmptyOther,
    })
}
