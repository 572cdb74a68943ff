//! "Take this scene with you": the scene as a capture that Wireshark opens, and as the
//! scenario file that `socketlab-cli` runs (and that a learner can change and run again).
//! Both are made from the scene the app is showing, when asked. It sits under the flow
//! graph, which shows the same packets.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::pcap::capture;
use crate::i18n::{t, Msg};
use crate::ui::download::{save, File};
use crate::ui::scenes::Scene;

/// The section, for the flow graph to draw below itself; `error` holds the line that says why a
/// file was not saved. (A function of the flow graph's, not a component of its own: the section
/// is small, and a component costs the page more code than it draws.)
pub fn downloads(scene: &Rc<Scene>, error: &UseStateHandle<Option<String>>) -> Html {
    let offer = |make: fn(&Scene) -> (&'static str, &'static str, Vec<u8>)| {
        let (scene, error) = (scene.clone(), error.clone());
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
            <h3 id="downloads-title">{ t(Msg::DownloadsTitle) }</h3>
            <p>{ t(Msg::DownloadsText) }</p>
            <div class="download-actions">
                <button class="button small" onclick={on_pcap}>{ t(Msg::DownloadsPcap) }</button>
                <button class="button small" onclick={on_toml}>{ t(Msg::DownloadsToml) }</button>
            </div>
            if let Some(e) = &**error {
                <p class="notice" role="alert">{ e.clone() }</p>
            }
        </section>
    }
}
