//! Every shipped scene's recorded run, put in the page as `static/boot.js` puts the one a
//! screen opens (component tests), and fix-it runs answered in the page, as the engine's
//! worker answers them.

/// Install every recording, and answer runs in the page.
pub fn install() {
    let all: [(&str, &[u8]); 16] = [
        (
            "forking-server",
            include_bytes!("../../recordings/forking-server.bin"),
        ),
        (
            "connection-refused",
            include_bytes!("../../recordings/connection-refused.bin"),
        ),
        (
            "many-clients",
            include_bytes!("../../recordings/many-clients.bin"),
        ),
        (
            "mongodb-27017",
            include_bytes!("../../recordings/mongodb-27017.bin"),
        ),
        (
            "node-server-8099",
            include_bytes!("../../recordings/node-server-8099.bin"),
        ),
        (
            "port-in-use",
            include_bytes!("../../recordings/port-in-use.bin"),
        ),
        (
            "port-not-protocol",
            include_bytes!("../../recordings/port-not-protocol.bin"),
        ),
        (
            "privileged-port",
            include_bytes!("../../recordings/privileged-port.bin"),
        ),
        (
            "server-closes-first",
            include_bytes!("../../recordings/server-closes-first.bin"),
        ),
        ("slides", include_bytes!("../../recordings/slides.bin")),
        (
            "stress-50-clients",
            include_bytes!("../../recordings/stress-50-clients.bin"),
        ),
        (
            "syn-timeout",
            include_bytes!("../../recordings/syn-timeout.bin"),
        ),
        (
            "three-ranges",
            include_bytes!("../../recordings/three-ranges.bin"),
        ),
        (
            "two-apps-one-pc",
            include_bytes!("../../recordings/two-apps-one-pc.bin"),
        ),
        (
            "walkthrough",
            include_bytes!("../../recordings/walkthrough.bin"),
        ),
        (
            "web-server-80",
            include_bytes!("../../recordings/web-server-80.bin"),
        ),
    ];
    for (id, bytes) in all {
        socketlab::view::scenes::install_recording(id, bytes);
    }
    socketlab::ui::engine::answer_in_page(socketlab::worker::serve);
}
