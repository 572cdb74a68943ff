//! The port registry's words: what listens on each port the lessons mention, and each port's
//! class, in the learner's language. The engine's registry (`engine::ports`) has the numbers,
//! the service names and where each number comes from; the words are here.

use crate::engine::ports::{Assignment, PortClass, Service};
use crate::i18n::{t, tp, Msg};
use std::rc::Rc;

/// What listens on `port`, if the registry knows it: "Web server (HTTP)".
pub fn description(port: u16) -> Option<Rc<str>> {
    let msg = match port {
        20 => Msg::Port00020,
        21 => Msg::Port00021,
        22 => Msg::Port00022,
        23 => Msg::Port00023,
        25 => Msg::Port00025,
        53 => Msg::Port00053,
        67 => Msg::Port00067,
        68 => Msg::Port00068,
        80 => Msg::Port00080,
        110 => Msg::Port00110,
        143 => Msg::Port00143,
        443 => Msg::Port00443,
        465 => Msg::Port00465,
        587 => Msg::Port00587,
        993 => Msg::Port00993,
        995 => Msg::Port00995,
        3000 => Msg::Port03000,
        3306 => Msg::Port03306,
        5432 => Msg::Port05432,
        6379 => Msg::Port06379,
        8080 => Msg::Port08080,
        8099 => Msg::Port08099,
        27017 => Msg::Port27017,
        28017 => Msg::Port28017,
        _ => return None,
    };
    Some(t(msg))
}

/// A class's name: "well-known", "registered", "dynamic (ephemeral)".
pub fn class_name(class: PortClass) -> Rc<str> {
    t(match class {
        PortClass::WellKnown => Msg::PortsClassWellKnown,
        PortClass::Registered => Msg::PortsClassRegistered,
        PortClass::Dynamic => Msg::PortsClassDynamic,
    })
}

/// An entry's class as the ports panel shows it: the IANA range it falls in, and whether the
/// number is a convention or the course's own example rather than an assignment.
pub fn class_label(service: &Service) -> String {
    let class = class_name(PortClass::of(service.port));
    let with = |msg| tp(msg, &[("class", &class)]);
    match service.assignment {
        Assignment::Iana => class.to_string(),
        Assignment::Convention => with(Msg::PortsClassConvention),
        Assignment::CourseExample => with(Msg::PortsClassCourseExample),
    }
}
