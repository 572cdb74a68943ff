//! The app's shell: a header, the stage where the network is drawn, and a side panel.

use yew::prelude::*;

use crate::engine::ports::{self, PortClass};

/// The query parameter that makes the app panic on purpose, so that a test can check the page
/// shows a readable message instead of freezing. It changes nothing else.
const DEBUG_PANIC_PARAM: &str = "debug-panic";

fn debug_panic_requested() -> bool {
    gloo::utils::window()
        .location()
        .search()
        .map(|query| {
            query
                .trim_start_matches('?')
                .split('&')
                .any(|pair| pair.split('=').next() == Some(DEBUG_PANIC_PARAM))
        })
        .unwrap_or(false)
}

#[function_component(App)]
pub fn app() -> Html {
    if debug_panic_requested() {
        panic!("the page was opened with ?{DEBUG_PANIC_PARAM}, which stops the app on purpose to test this message");
    }
    html! {
        <div class="shell">
            <header class="site-header">
                <a class="skip-link" href="#stage">{ "Skip to the network" }</a>
                <div class="brand">
                    <img class="brand-icon" src="icon.svg" alt="" width="36" height="36" />
                    <h1>{ "Socket Lab" }</h1>
                </div>
                <p class="tagline">{ "TCP ports and sockets, shown" }</p>
            </header>
            <main class="layout">
                <section id="stage" class="stage" aria-labelledby="stage-title" tabindex="-1">
                    <h2 id="stage-title">{ "The network" }</h2>
                    <Topology />
                    <p class="stage-caption">
                        { "Two computers on one LAN. Every application on the client PC shares its one IP address, " }
                        { "so the transport layer tells their packets apart by " }<strong>{ "port number" }</strong>
                        { ". The server listens on a well-known port; each client connects from an ephemeral one." }
                    </p>
                </section>
                <aside class="side-panel" aria-labelledby="ports-title">
                    <h2 id="ports-title">{ "Well-known ports" }</h2>
                    <p>{ "Servers listen on reserved numbers, so clients know where to find them." }</p>
                    <PortTable />
                    <PortRanges />
                </aside>
            </main>
        </div>
    }
}

/// The course's default topology: a client PC and a server on one LAN.
#[function_component(Topology)]
fn topology() -> Html {
    let hosts = [
        ("Client PC", "192.168.1.101", 40),
        ("Server", "192.168.1.102", 440),
    ];
    html! {
        <svg class="topology" viewBox="0 0 640 200" role="img"
             aria-label="Client PC at 192.168.1.101 and Server at 192.168.1.102, joined by one LAN link">
            <line class="link" x1="200" y1="100" x2="440" y2="100" />
            <text class="link-label" x="320" y="88" text-anchor="middle">{ "LAN" }</text>
            { for hosts.iter().map(|(name, ip, x)| html! {
                <g class="host" key={*name}>
                    <rect x={x.to_string()} y="40" width="160" height="120" rx="12" />
                    <text class="host-name" x={(x + 80).to_string()} y="92" text-anchor="middle">{ *name }</text>
                    <text class="host-ip" x={(x + 80).to_string()} y="122" text-anchor="middle">{ *ip }</text>
                </g>
            }) }
        </svg>
    }
}

#[function_component(PortTable)]
fn port_table() -> Html {
    html! {
        <div class="table-scroll" role="region" aria-labelledby="ports-caption" tabindex="0">
            <table class="ports">
                <caption id="ports-caption">{ "Port numbers the lessons use" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Port" }</th>
                        <th scope="col">{ "Transport" }</th>
                        <th scope="col">{ "Who listens" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for ports::SERVICES.iter().map(|s| html! {
                        <tr key={s.port}>
                            <th scope="row">{ s.port }</th>
                            <td>{ s.transports.label() }</td>
                            <td>{ s.description }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[function_component(PortRanges)]
fn port_ranges() -> Html {
    let classes = [
        PortClass::WellKnown,
        PortClass::Registered,
        PortClass::Dynamic,
    ];
    html! {
        <>
            <h3>{ "Port ranges" }</h3>
            <dl class="port-ranges">
                { for classes.iter().map(|c| html! {
                    <div key={c.range()}>
                        <dt>{ c.range() }</dt>
                        <dd>{ c.name() }</dd>
                    </div>
                }) }
            </dl>
        </>
    }
}
