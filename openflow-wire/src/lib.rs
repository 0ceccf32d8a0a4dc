//! OpenFlow 1.3 on the wire, sans-IO.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod action;
mod codec;
mod error;
pub mod framer;
pub mod header;
pub mod hello;
pub mod instruction;
pub mod message;
pub mod oxm;
#[cfg(test)]
mod proptests;

pub use action::{Action, NxAction};
pub use error::Error;
pub use framer::{Frame, Framed, Framer};
pub use header::Header;
pub use hello::{Hello, HelloElement, negotiate_version};
pub use instruction::Instruction;
pub use message::{Body, Message};
pub use oxm::{Masked, Match, Oxm};
