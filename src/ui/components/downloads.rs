//! "Take this scene with you": the scene as a capture that Wireshark opens, and as the
//! scenario file that `socketlab-cli` runs (and that a learner can change and run again).
//! Both are made from the scene the app is showing, when asked. It sits under the flow
//! graph, which shows the same packets.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::pcap::capture;
use crate::ui::download::{save, File};
use crate::ui::scenes::Scene;

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub scene: Rc<Scene>,
}

#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let error = use_state(|| None::<String>);
    let offer = |make: fn(&Scene) -> (&'static str, &'static str, Vec<u8>)| {
        let (scene, error) = (props.scene.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (ext, mime, bytes) = make(&scene);
            let name = format!("{}.{ext}", scene.id);
            error.set(
                save(&File {
                    name: &name,
                    mime,
                    bytes: &bytes,
                })
                .err(),
            );
        })
    };
    let on_pcap = offer(|s| {
        (
            "pcap",
            "application/vnd.tcpdump.pcap",
            capture(s.timeline.events()).0,
        )
    });
    let on_toml = offer(|s| {
        (
            "toml",
            "application/toml",
            s.scenario.to_toml().into_bytes(),
        )
    });
    html! {
        <section class="downloads" aria-labelledby="downloads-title">
            <h3 id="downloads-title">{ "Take this scene with you" }</h3>
            <p>{ "Open every packet of this scene in Wireshark, or run its scenario file with socketlab-cli and change it to make your own." }</p>
            <div class="download-actions">
                <button class="button small" onclick={on_pcap}>{ "Capture for Wireshark (.pcap)" }</button>
                <button class="button small" onclick={on_toml}>{ "Scenario file (.toml)" }</button>
            </div>
            if let Some(e) = &*error {
                <p class="notice" role="alert">{ e.clone() }</p>
            }
        </section>
    }
}
