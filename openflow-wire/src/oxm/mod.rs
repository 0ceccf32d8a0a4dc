//! OXM: OpenFlow Extensible Match TLVs and the OXM `ofp_match`.

mod field;
mod ofmatch;
mod validate;
mod value;

pub use field::{
    OFPVID_NONE, OFPVID_PRESENT, OFPXMC_EXPERIMENTER, OFPXMC_NXM_0, OFPXMC_NXM_1,
    OFPXMC_OPENFLOW_BASIC, OFPXMC_PACKET_REGS, Oxm, OxmHeader,
};
pub use ofmatch::{Match, OFPMT_OXM};
pub use validate::{MatchProblem, Prerequisite};
pub use value::{Isid, Masked};
