//! One socket table per host, in the course's layout: a column per socket ("Socket 1",
//! "Socket 2", …), a row per field, "n/a" where a listening socket has no peer. Or, compact,
//! one row per socket like `ss -tan`. A cell that the engine just changed is highlighted.

use std::cell::RefCell;
use std::rc::Rc;

use crate::i18n::{t, tp, Msg};
use yew::prelude::*;

use crate::ui::scenes::{conn_key, conn_label, Scene};
use crate::vecmap::{VecMap, VecSet};

use crate::engine::net::HostId;
use crate::engine::snapshot::{HostView, SocketRow};
use crate::engine::socket::SockId;
use crate::lessons::answer::socket_label;
/// `text` with a lesson's hidden words shown as "?" (one function, not one copy per cell).
#[inline(never)]
fn hide(text: String, words: &[String]) -> String {
    match words.is_empty() {
        true => text,
        false => crate::view::mask::mask(&text, words),
    }
}
use crate::view::scenes::host_name;

#[derive(Properties, PartialEq)]
pub struct SocketTableProps {
    pub host: Rc<HostView>,
    pub compact: bool,
    /// Sockets to highlight: the ends of the segment under the pointer or in the inspector.
    #[prop_or_default]
    pub highlight: VecSet<SockId>,
    /// The socket whose packets the stage highlights.
    #[prop_or_default]
    pub focus: Option<SockId>,
    /// The scene, for the connection labels ("A", "B") that match the packets on the stage.
    #[prop_or_default]
    pub scene: Option<Rc<Scene>>,
    #[prop_or_default]
    pub on_focus: Callback<(HostId, SockId)>,
    /// The table a phone shows (the latest event's host, or the one the learner picked).
    #[prop_or(true)]
    pub current: bool,
    /// A socket whose addresses and ports are hidden ("?"): the one a lesson asks the learner
    /// to fill in, until it is answered.
    #[prop_or_default]
    pub masked: Option<SockId>,
    /// Words a lesson's open question asks for: any cell that says one shows "?".
    #[prop_or_default]
    pub mask: Rc<Vec<String>>,
    /// A predict question is open: each socket's name is a button that answers it.
    #[prop_or_default]
    pub picking: bool,
}

#[function_component(SocketTable)]
pub fn socket_table(props: &SocketTableProps) -> Html {
    crate::ui::hooks::counted("SocketTable");
    let scroller = use_node_ref();
    let overflows = use_overflow(
        &scroller,
        (props.host.sockets.len(), props.compact, props.current),
    );
    // The cells as they were at the previous render: what differs now is what just changed.
    let previous = use_mut_ref(VecMap::<SockId, [String; 7]>::new);
    let now: VecMap<SockId, [String; 7]> = props
        .host
        .sockets
        .iter()
        .map(|r| {
            let mut cells = props.host.cells(r);
            if let Some(name) = unknown_state(r.state) {
                cells[5] = name;
            }
            (r.sock, cells)
        })
        .collect();
    let changed = changed_cells(&previous, &now);
    *previous.borrow_mut() = now.clone();
    // What the cells say, with a lesson's hidden words as "?".
    let now = match props.mask.is_empty() {
        true => now,
        false => now
            .into_iter()
            .map(|(sock, cells)| (sock, cells.map(|c| hide(c, &props.mask))))
            .collect(),
    };

    let host = &props.host;
    let labels = connection_labels(host, props.scene.as_deref());
    let name = host_name(&host.name);
    let caption = tp(
        Msg::TablesCaption,
        &[("host", &name), ("ip", &host.ip.to_string())],
    );
    let body = if host.sockets.is_empty() {
        html! { <p class="empty"><strong>{ caption.clone() }</strong>{ t(Msg::TablesNoSockets) }</p> }
    } else if props.compact || host.sockets.len() > COURSE_LAYOUT_MAX {
        compact_table(props, &caption, &changed, &labels)
    } else {
        course_table(props, &caption, &changed, &labels, &now, overflows)
    };
    // The course's layout says it scrolls in its empty corner; the compact one under it.
    let compact = props.compact || host.sockets.len() > COURSE_LAYOUT_MAX;
    let note = (!props.compact && host.sockets.len() > COURSE_LAYOUT_MAX)
        .then(|| tp(Msg::TablesMany, &[("n", &host.sockets.len().to_string())]));
    let class = classes!(
        "socket-table",
        props.current.then_some("current"),
        (host.sockets.len() > COURSE_LAYOUT_MAX).then_some("many"),
        overflows.then_some("overflows")
    );
    html! {
        <section class={class} aria-label={caption}>
            if let Some(note) = note {
                <p class="table-note">{ note }</p>
            }
            <div class="table-scroll" ref={scroller} tabindex="0" role="region" aria-label={tp(Msg::TablesScrollable, &[("host", &name)])}>
                { body }
            </div>
            if overflows && compact {
                <p class="scroll-cue">{ t(Msg::TablesScrollCue) }</p>
            }
        </section>
    }
}

/// Each socket's connection letter on the stage ("A"), where it has one.
fn connection_labels(host: &HostView, scene: Option<&Scene>) -> Vec<(SockId, String)> {
    let Some(scene) = scene else {
        return Vec::new();
    };
    host.sockets
        .iter()
        .filter_map(|r| {
            scene
                .connections
                .get(&conn_key(r.local?, r.remote?))
                .map(|n| (r.sock, conn_label(*n)))
        })
        .collect()
}

/// A socket's connection letter, if it has one.
fn label_of(labels: &[(SockId, String)], sock: SockId) -> Option<String> {
    labels
        .iter()
        .find(|(s, _)| *s == sock)
        .map(|(_, l)| l.clone())
}

/// One row per socket, with `ss -tan`'s columns.
fn compact_table(
    props: &SocketTableProps,
    caption: &str,
    changed: &VecSet<(SockId, usize)>,
    labels: &[(SockId, String)],
) -> Html {
    let host = &props.host;
    let label_of = |sock: SockId| label_of(labels, sock);
    html! {
        <table class="sockets compact">
            <caption>{ caption.to_string() }</caption>
            <thead><tr>
                { for SS_COLUMNS.iter().map(|c| html! { <th scope="col">{ t(*c) }</th> }) }
            </tr></thead>
            <tbody>
                { for host.sockets.iter().enumerate().map(|(i, r)| {
                    let changed: u8 = (0..7).filter(|f| changed.contains(&(r.sock, *f))).fold(0, |m, f| m | 1 << f);
                    html! {
                        <CompactRow key={r.sock.0} index={i} row={r.clone()} changed={changed}
                                    highlight={props.highlight.contains(&r.sock)} focused={props.focus == Some(r.sock)}
                                    label={label_of(r.sock)} host={host.id} on_focus={props.on_focus.clone()}
                                    masked={props.masked == Some(r.sock)} mask={props.mask.clone()}
                                    pick={props.picking.then(|| socket_label(&host.name, i + 1))} pid={host.pid_tells(r)} />
                    }
                }) }
            </tbody>
        </table>
    }
}

/// The course's layout: one column per socket, one row per field, as the slides draw it.
fn course_table(
    props: &SocketTableProps,
    caption: &str,
    changed: &VecSet<(SockId, usize)>,
    labels: &[(SockId, String)],
    now: &VecMap<SockId, [String; 7]>,
    overflows: bool,
) -> Html {
    let host = &props.host;
    let label_of = |sock: SockId| label_of(labels, sock);
    let focus_button = |i: usize, row: &SocketRow| {
        let on_focus = props.on_focus.clone();
        let (host_id, sock) = (host.id, row.sock);
        let label = label_of(row.sock)
            .map(|l| format!(" · {l}"))
            .unwrap_or_default();
        let pressed = (props.focus == Some(row.sock)).to_string();
        // Answering a predict question, the button says whose socket it is ("Server: Socket 1").
        let (name, title) = match props.picking {
            true => (Some(socket_label(&host.name, i + 1)), t(Msg::TablesPick)),
            false => (None, t(Msg::TablesHighlight)),
        };
        let class = classes!("socket-name", props.picking.then_some("pick"));
        html! {
            <button class={class} aria-pressed={pressed} {title} aria-label={name}
                    onclick={Callback::from(move |_: MouseEvent| on_focus.emit((host_id, sock)))}>
                { socket_name(i, &label) }
            </button>
        }
    };
    let cell_class = |sock: SockId, field: usize| {
        classes!(
            changed.contains(&(sock, field)).then_some("changed"),
            props.highlight.contains(&sock).then_some("highlight"),
            (props.focus == Some(sock)).then_some("focused"),
        )
    };
    html! {
        <table class="sockets course">
            <caption>{ caption.to_string() }</caption>
            <thead><tr>
                // Every cell of a row is keyed: Yew pairs a row's cells by key only when all of
                // them have one, and by place otherwise, which would make every cell again when a
                // socket's column is added.
                <td class="corner" key="corner">
                    if overflows {
                        <span class="scroll-cue">{ t(Msg::TablesScrollCorner) }</span>
                    }
                </td>
                { for host.sockets.iter().enumerate().map(|(i, r)| html! { <th scope="col" key={r.sock.0}>{ focus_button(i, r) }</th> }) }
            </tr></thead>
            <tbody>
                { for (0..ROWS.len()).map(|f| html! {
                    <tr key={f} class={(f == PROCESS).then_some("process-row")}>
                        <th scope="row" key="row">{ row_name(f) }</th>
                        { for host.sockets.iter().map(|r| html! {
                            <td key={r.sock.0} class={cell_class(r.sock, f)}>{
                                if props.masked == Some(r.sock) && (1..=4).contains(&f) { "?".to_string() } else { now[&r.sock][f].clone() }
                            }</td>
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// The course table's row names, in the order of [`SocketRow::course_cells`]; a name with a shorter
/// form for narrow screens ("Dest. Port") has both, and a screen reader hears the long one.
const ROWS: [(Msg, Option<Msg>); 7] = [
    (Msg::TablesRowTransport, None),
    (Msg::TablesRowSourcePort, None),
    (Msg::TablesRowSourceIp, None),
    (Msg::TablesRowDestPort, Some(Msg::TablesRowDestPortShort)),
    (Msg::TablesRowDestIp, Some(Msg::TablesRowDestIpShort)),
    (Msg::TablesRowState, None),
    (Msg::TablesRowProcess, None),
];

/// `ss -tan`'s columns, as the compact view heads them.
const SS_COLUMNS: [Msg; 8] = [
    Msg::TablesSsSocket,
    Msg::TablesSsNetid,
    Msg::TablesSsState,
    Msg::TablesSsRecvQ,
    Msg::TablesSsSendQ,
    Msg::TablesSsLocal,
    Msg::TablesSsPeer,
    Msg::TablesSsProcess,
];

/// A row's name in the learner's language (the long form).
pub fn row_label(field: usize) -> std::rc::Rc<str> {
    t(ROWS[field].0)
}

fn row_name(field: usize) -> Html {
    match ROWS[field] {
        (long, Some(short)) => html! {
            <><span class="long">{ t(long) }</span><span class="short" aria-hidden="true">{ t(short) }</span></>
        },
        (long, None) => html! { { t(long) } },
    }
}

/// A socket's name in its table: "Socket 2", and its connection's letter where it has one.
fn socket_name(index: usize, label: &str) -> String {
    tp(Msg::TablesSocketN, &[("n", &(index + 1).to_string())]) + label
}

/// The row of the course table that names the process (it may wrap).
const PROCESS: usize = 6;

/// Whether the element is wider inside than its box: a table that scrolls sideways says so.
/// Measured when the browser says the box or what it holds changed size (a `ResizeObserver`,
/// set up again when the table's shape changes): it tells after laying the page out, so
/// reading the widths then costs nothing, where reading them straight after a render, or at
/// the next animation frame, would make the browser lay the page out an extra time.
#[hook]
fn use_overflow<T: PartialEq + 'static>(node: &NodeRef, shape: T) -> bool {
    let overflows = use_state_eq(|| false);
    {
        let node = node.clone();
        let overflows = overflows.clone();
        use_effect_with(shape, move |_| {
            use wasm_bindgen::{closure::Closure, JsCast};
            crate::ui::hooks::timed("SocketTable: overflow");
            let scroller = node.cast::<web_sys::Element>();
            // Said at the next frame: a change drawn while the browser is telling observers
            // would change sizes it has already told of (and it would say so, as an error).
            let pending = std::rc::Rc::new(std::cell::RefCell::new(None));
            let told = {
                let (scroller, pending) = (scroller.clone(), pending.clone());
                Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
                    if let Some(el) = &scroller {
                        let now = el.scroll_width() > el.client_width() + 1;
                        let overflows = overflows.clone();
                        *pending.borrow_mut() =
                            Some(gloo::render::request_animation_frame(move |_| {
                                overflows.set(now)
                            }));
                    }
                })
            };
            let observer = web_sys::ResizeObserver::new(told.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(el)) = (&observer, &scroller) {
                o.observe(el);
                if let Some(inside) = el.first_element_child() {
                    o.observe(&inside);
                }
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                pending.borrow_mut().take();
                drop(told);
            }
        });
    }
    *overflows
}
/// Beyond this many sockets, a column per socket is too wide to read: one row each instead.
pub const COURSE_LAYOUT_MAX: usize = 8;

#[derive(Properties, PartialEq)]
struct CompactRowProps {
    index: usize,
    row: SocketRow,
    /// Which fields just changed, one bit each (bit 0 is Transport).
    changed: u8,
    highlight: bool,
    focused: bool,
    label: Option<String>,
    host: HostId,
    on_focus: Callback<(HostId, SockId)>,
    masked: bool,
    mask: Rc<Vec<String>>,
    /// Answering a predict question: the socket's name as an answer ("Server: Socket 2").
    pick: Option<String>,
    /// The process cell names the pid (another process of the host runs the same program).
    pid: bool,
}

/// One socket as one row, like a line of `ss -tan`. A row whose socket did not change is not
/// drawn again.
#[function_component(CompactRow)]
fn compact_row(props: &CompactRowProps) -> Html {
    crate::ui::hooks::counted("CompactRow");
    let r = &props.row;
    let process = r.process_cell(props.pid);
    let class = |field: usize| {
        classes!(
            (props.changed & (1 << field) != 0).then_some("changed"),
            props.highlight.then_some("highlight"),
            props.focused.then_some("focused"),
        )
    };
    let (host, sock, on_focus) = (props.host, r.sock, props.on_focus.clone());
    let label = props
        .label
        .as_ref()
        .map(|l| format!(" · {l}"))
        .unwrap_or_default();
    html! {
        <tr>
            <th scope="row">
                <button class={classes!("socket-name", props.pick.is_some().then_some("pick"))} aria-pressed={props.focused.to_string()}
                        title={t(if props.pick.is_some() { Msg::TablesPick } else { Msg::TablesHighlight })} aria-label={props.pick.clone()}
                        onclick={Callback::from(move |_: MouseEvent| on_focus.emit((host, sock)))}>
                    { socket_name(props.index, &label) }
                </button>
            </th>
            <td>{ r.proto.to_string().to_ascii_lowercase() }</td>
            <td class={class(5)}>{ hide(unknown_state(r.state).unwrap_or_else(|| r.state.ss_name().to_string()), &props.mask) }</td>
            <td>{ r.recv_q }</td>
            <td>{ r.send_q }</td>
            if props.masked {
                <td>{ "?" }</td><td>{ "?" }</td>
            } else {
                <td class={class(1)}>{ hide(r.local.map(|a| a.to_string()).unwrap_or_else(|| "*:*".into()), &props.mask) }</td>
                <td class={class(3)}>{ hide(r.remote.map(|a| a.to_string()).unwrap_or_else(|| "0.0.0.0:*".into()), &props.mask) }</td>
            }
            <td class={class(6)}>{ hide(process, &props.mask) }</td>
        </tr>
    }
}

/// The (socket, field) cells that differ from the previous render.
fn changed_cells(
    previous: &RefCell<VecMap<SockId, [String; 7]>>,
    now: &VecMap<SockId, [String; 7]>,
) -> VecSet<(SockId, usize)> {
    let previous = previous.borrow();
    let mut out = VecSet::new();
    if previous.is_empty() {
        return out;
    }
    for (sock, cells) in now {
        match previous.get(sock) {
            Some(old) => out.extend((0..7).filter(|f| old[*f] != cells[*f]).map(|f| (*sock, f))),
            None => out.extend((0..7).map(|f| (*sock, f))),
        }
    }
    out
}

/// The name a table gives a capture's socket whose state the capture does not show (a
/// connection joined after its handshake): "unknown" in the page's language. Only the import's
/// build has such sockets; for every other state, the kernel's name stands (none).
pub fn unknown_state(state: crate::engine::socket::SockState) -> Option<String> {
    #[cfg(feature = "import")]
    if state == crate::engine::socket::SockState::Unknown {
        return Some(t(Msg::ImportStateUnknown).to_string());
    }
    let _ = state;
    None
}
