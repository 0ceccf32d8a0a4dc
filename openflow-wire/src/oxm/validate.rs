//! OXM prerequisite and consistency checks (OpenFlow 1.3.5 section 7.2.3.6,
//! Table 12), kept apart from decoding: a decoded match may be invalid, and
//! a controller decides what to do about it.

use super::field::{OFPVID_NONE, Oxm};
use super::ofmatch::Match;

/// What a field needs to be present in the same match, exactly matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prerequisite {
    /// `in_port` present.
    InPort,
    /// `vlan_vid` present and not `OFPVID_NONE`.
    VlanPresent,
    /// `eth_type` equal to one of these.
    EthType(&'static [u16]),
    /// `ip_proto` equal to this.
    IpProto(u8),
    /// `icmpv6_type` equal to one of these.
    Icmpv6Type(&'static [u8]),
}

/// One problem [`Match::validate`] found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MatchProblem {
    /// A field's prerequisite is missing or has another value
    /// (`OFPBMC_BAD_PREREQ`).
    MissingPrerequisite {
        /// The field (index in [`Match::fields`]).
        index: usize,
        /// Its name.
        field: &'static str,
        /// What it needs.
        needs: Prerequisite,
    },
    /// The same field twice (`OFPBMC_DUP_FIELD`).
    Duplicate {
        /// Index of the second occurrence.
        index: usize,
        /// Its name.
        field: &'static str,
    },
    /// A mask on a field that takes none (`OFPBMC_BAD_MASK`).
    MaskNotAllowed {
        /// Index of the field.
        index: usize,
        /// Its name.
        field: &'static str,
    },
    /// A value wider than the field (`OFPBMC_BAD_VALUE`).
    ValueOutOfRange {
        /// Index of the field.
        index: usize,
        /// Its name.
        field: &'static str,
        /// The value.
        value: u64,
        /// The largest allowed value.
        max: u64,
    },
}

const IP: &[u16] = &[0x0800, 0x86dd];
const IPV4: &[u16] = &[0x0800];
const IPV6: &[u16] = &[0x86dd];
const ARP: &[u16] = &[0x0806];
const MPLS: &[u16] = &[0x8847, 0x8848];
const PBB: &[u16] = &[0x88e7];

fn prerequisite(o: &Oxm) -> Option<Prerequisite> {
    use Prerequisite as P;
    Some(match o {
        Oxm::InPhyPort(_) => P::InPort,
        Oxm::VlanPcp(_) => P::VlanPresent,
        Oxm::IpDscp(_) | Oxm::IpEcn(_) | Oxm::IpProto(_) => P::EthType(IP),
        Oxm::Ipv4Src(_) | Oxm::Ipv4Dst(_) => P::EthType(IPV4),
        Oxm::TcpSrc(_) | Oxm::TcpDst(_) => P::IpProto(6),
        Oxm::UdpSrc(_) | Oxm::UdpDst(_) => P::IpProto(17),
        Oxm::SctpSrc(_) | Oxm::SctpDst(_) => P::IpProto(132),
        Oxm::Icmpv4Type(_) | Oxm::Icmpv4Code(_) => P::IpProto(1),
        Oxm::ArpOp(_) | Oxm::ArpSpa(_) | Oxm::ArpTpa(_) | Oxm::ArpSha(_) | Oxm::ArpTha(_) => {
            P::EthType(ARP)
        }
        Oxm::Ipv6Src(_) | Oxm::Ipv6Dst(_) | Oxm::Ipv6Flabel(_) | Oxm::Ipv6Exthdr(_) => {
            P::EthType(IPV6)
        }
        Oxm::Icmpv6Type(_) | Oxm::Icmpv6Code(_) => P::IpProto(58),
        Oxm::Ipv6NdTarget(_) => P::Icmpv6Type(&[135, 136]),
        Oxm::Ipv6NdSll(_) => P::Icmpv6Type(&[135]),
        Oxm::Ipv6NdTll(_) => P::Icmpv6Type(&[136]),
        Oxm::MplsLabel(_) | Oxm::MplsTc(_) | Oxm::MplsBos(_) => P::EthType(MPLS),
        Oxm::PbbIsid(_) => P::EthType(PBB),
        _ => return None,
    })
}

fn value_max(o: &Oxm) -> Option<(u64, u64)> {
    Some(match o {
        Oxm::VlanVid(m) => (m.value.into(), 0x1fff),
        Oxm::VlanPcp(m) | Oxm::MplsTc(m) => (m.value.into(), 7),
        Oxm::IpDscp(m) => (m.value.into(), 63),
        Oxm::IpEcn(m) => (m.value.into(), 3),
        Oxm::MplsBos(m) => (m.value.into(), 1),
        Oxm::Ipv6Flabel(m) | Oxm::MplsLabel(m) => (m.value.into(), 0xf_ffff),
        Oxm::Ipv6Exthdr(m) => (m.value.into(), 0x1ff),
        _ => return None,
    })
}

impl Match {
    /// Checks prerequisites, duplicates, masks on unmaskable fields and
    /// values wider than their field. Returns every problem found, in field
    /// order; an empty vector means the match is valid. (Field order is not
    /// checked: Open vSwitch accepts prerequisites after their dependents.)
    pub fn validate(&self) -> Vec<MatchProblem> {
        let mut problems = Vec::new();
        let exact =
            |pred: &dyn Fn(&Oxm) -> bool| self.fields.iter().any(|o| !o.has_mask() && pred(o));
        for (index, o) in self.fields.iter().enumerate() {
            let field = o.name();
            let known = !matches!(o, Oxm::Experimenter { .. } | Oxm::Unknown { .. });
            if known
                && self.fields[..index]
                    .iter()
                    .any(|p| p.class() == o.class() && p.field() == o.field())
            {
                problems.push(MatchProblem::Duplicate { index, field });
            }
            if o.has_mask() && !o.maskable() {
                problems.push(MatchProblem::MaskNotAllowed { index, field });
            }
            if let Some((value, max)) = value_max(o)
                && value > max
            {
                problems.push(MatchProblem::ValueOutOfRange {
                    index,
                    field,
                    value,
                    max,
                });
            }
            if let Some(needs) = prerequisite(o) {
                let ok = match needs {
                    Prerequisite::InPort => exact(&|p| matches!(p, Oxm::InPort(_))),
                    Prerequisite::VlanPresent => self.fields.iter().any(|p| {
                        matches!(p, Oxm::VlanVid(m) if m.mask.is_some() || m.value != OFPVID_NONE)
                    }),
                    Prerequisite::EthType(types) => {
                        exact(&|p| matches!(p, Oxm::EthType(m) if types.contains(&m.value)))
                    }
                    Prerequisite::IpProto(proto) => {
                        exact(&|p| matches!(p, Oxm::IpProto(m) if m.value == proto))
                    }
                    Prerequisite::Icmpv6Type(types) => {
                        exact(&|p| matches!(p, Oxm::Icmpv6Type(m) if types.contains(&m.value)))
                    }
                };
                if !ok {
                    problems.push(MatchProblem::MissingPrerequisite {
                        index,
                        field,
                        needs,
                    });
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxm::{Masked, OFPVID_PRESENT};
    use core::net::Ipv4Addr;
    use macaddr::MacAddr6;

    #[test]
    fn valid_tcp_match() {
        let m = Match::new()
            .with(Oxm::EthType(0x0800.into()))
            .with(Oxm::IpProto(6.into()))
            .with(Oxm::Ipv4Src(Masked::with_mask(
                [10, 0, 0, 0].into(),
                [255, 0, 0, 0].into(),
            )))
            .with(Oxm::TcpDst(80.into()));
        assert_eq!(m.validate(), vec![]);
    }

    #[test]
    fn missing_prerequisites() {
        let m = Match::new()
            .with(Oxm::Ipv4Src(Ipv4Addr::new(10, 0, 0, 1).into()))
            .with(Oxm::TcpSrc(1.into()))
            .with(Oxm::VlanPcp(3.into()));
        assert_eq!(
            m.validate(),
            vec![
                MatchProblem::MissingPrerequisite {
                    index: 0,
                    field: "ipv4_src",
                    needs: Prerequisite::EthType(&[0x0800])
                },
                MatchProblem::MissingPrerequisite {
                    index: 1,
                    field: "tcp_src",
                    needs: Prerequisite::IpProto(6)
                },
                MatchProblem::MissingPrerequisite {
                    index: 2,
                    field: "vlan_pcp",
                    needs: Prerequisite::VlanPresent
                },
            ]
        );
        // eth_type IPv6 does not satisfy ipv4_src; a masked eth_type does not either.
        let m = Match::new()
            .with(Oxm::EthType(Masked::with_mask(0x0800, 0xffff)))
            .with(Oxm::Ipv4Dst(Ipv4Addr::new(10, 0, 0, 1).into()));
        assert_eq!(m.validate().len(), 2); // mask on eth_type + prerequisite
        let m = Match::new()
            .with(Oxm::VlanVid((OFPVID_PRESENT | 10).into()))
            .with(Oxm::VlanPcp(3.into()));
        assert_eq!(m.validate(), vec![]);
        let m = Match::new()
            .with(Oxm::VlanVid(OFPVID_NONE.into()))
            .with(Oxm::VlanPcp(3.into()));
        assert_eq!(m.validate().len(), 1);
    }

    #[test]
    fn duplicates_masks_and_ranges() {
        let m = Match::new()
            .with(Oxm::InPort(1.into()))
            .with(Oxm::InPort(Masked::with_mask(2, 3)))
            .with(Oxm::NxReg(1, 1.into()))
            .with(Oxm::NxReg(2, 1.into()));
        assert_eq!(
            m.validate(),
            vec![
                MatchProblem::Duplicate {
                    index: 1,
                    field: "in_port"
                },
                MatchProblem::MaskNotAllowed {
                    index: 1,
                    field: "in_port"
                },
            ]
        );
        let m = Match::new()
            .with(Oxm::EthType(0x8847.into()))
            .with(Oxm::MplsLabel(0x10_0000.into()));
        assert_eq!(
            m.validate(),
            vec![MatchProblem::ValueOutOfRange {
                index: 1,
                field: "mpls_label",
                value: 0x10_0000,
                max: 0xf_ffff
            }]
        );
        // ND fields need the right ICMPv6 type.
        let m = Match::new()
            .with(Oxm::EthType(0x86dd.into()))
            .with(Oxm::IpProto(58.into()))
            .with(Oxm::Icmpv6Type(135.into()))
            .with(Oxm::Ipv6NdTll(MacAddr6::new(0, 0, 0, 0, 0, 1).into()));
        assert_eq!(m.validate().len(), 1);
    }
}
