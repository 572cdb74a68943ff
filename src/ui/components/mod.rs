//! Leaf components: they take plain data and callbacks, and never change the simulation.

pub mod controls;
pub mod downloads;
pub mod flow;
pub mod inspector;
pub mod language;
pub mod narration;
pub mod packets;
pub mod question;
pub mod stage;
pub mod tables;
