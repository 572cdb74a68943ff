//! What the lessons teach about port numbers, checked against the engine's registry.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::engine::ports::{lookup, Assignment, PortClass, Transports, SERVICES};

#[test]
fn web_servers_listen_on_80_and_mongodb_on_27017() {
    assert_eq!(lookup(80).map(|s| s.name), Some("http"));
    assert_eq!(lookup(27017).map(|s| s.name), Some("mongodb"));
    // The course slide's "27107" is a typo; nothing well known lives there.
    assert_eq!(lookup(27107), None);
    assert_eq!(
        lookup(28017).map(|s| s.assignment),
        Some(Assignment::Convention)
    );
}

#[test]
fn the_course_node_port_is_labelled_as_an_example_not_an_iana_assignment() {
    let node = lookup(8099).expect("8099 is in the registry");
    assert_eq!(node.assignment, Assignment::CourseExample);
    assert!(socketlab::view::ports::description(node.port)
        .unwrap()
        .contains("not an IANA assignment"));
}

#[test]
fn every_port_the_issue_names_is_registered() {
    let wanted = [
        20, 21, 22, 23, 25, 53, 67, 68, 80, 110, 143, 443, 465, 587, 993, 995, 3000, 3306, 5432,
        6379, 8080, 27017, 28017,
    ];
    for port in wanted {
        assert!(lookup(port).is_some(), "port {port} is missing");
    }
    assert_eq!(
        lookup(53).map(|s| s.transports),
        Some(Transports::TcpAndUdp)
    );
    assert_eq!(lookup(67).map(|s| s.transports), Some(Transports::Udp));
    assert!(SERVICES.len() >= wanted.len());
}

#[test]
fn port_classes_follow_the_iana_ranges() {
    assert_eq!(PortClass::of(0), PortClass::WellKnown);
    assert_eq!(PortClass::of(80), PortClass::WellKnown);
    assert_eq!(PortClass::of(1023), PortClass::WellKnown);
    assert_eq!(PortClass::of(1024), PortClass::Registered);
    assert_eq!(PortClass::of(8099), PortClass::Registered);
    assert_eq!(PortClass::of(10378), PortClass::Registered);
    assert_eq!(PortClass::of(49151), PortClass::Registered);
    assert_eq!(PortClass::of(49152), PortClass::Dynamic);
    assert_eq!(PortClass::of(65535), PortClass::Dynamic);
}
