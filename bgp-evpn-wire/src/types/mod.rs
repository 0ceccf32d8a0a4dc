//! Fixed-size field types shared by the EVPN routes: Route Distinguisher,
//! Ethernet Segment Identifier, Ethernet Tag and the 3-octet label field.

pub mod afi;
pub mod esi;
pub mod ethernet_tag;
pub mod label;
pub mod rd;

pub use afi::{Afi, AfiSafi, Safi};
pub use esi::{Discriminator24, Esi};
pub use ethernet_tag::EthernetTag;
pub use label::{LabelField, LabelMeaning};
pub use rd::RouteDistinguisher;
