//! MP-BGP EVPN wire formats (work in progress: EVPN NLRI).
#![forbid(unsafe_code)]

extern crate alloc;

pub mod error;
pub mod evpn;
pub mod extcomm;
pub(crate) mod parse;
pub mod types;

#[cfg(test)]
pub(crate) mod test_util;

pub use error::{Error, Result, Rfc7606Action, Section};
