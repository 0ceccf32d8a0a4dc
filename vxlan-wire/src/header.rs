//! The 8-byte VXLAN header in its three flavours: standard (RFC 7348),
//! Group Based Policy (draft-smith-vxlan-group-policy, Linux `gbp`) and
//! Generic Protocol Extension (draft-ietf-nvo3-vxlan-gpe).
//!
//! ```text
//! Standard, RFC 7348:
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |R|R|R|R|I|R|R|R|            Reserved (reserved1)               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                VXLAN Network Identifier (VNI) |Rsvd (reserved2)|
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! Group Based Policy:
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |G|R|R|R|I|R|R|R|R|D|R|R|A|R|R|R|        Group Policy ID        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                VXLAN Network Identifier (VNI) |   Reserved    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! VXLAN-GPE:
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |R|R|Ver|I|P|B|O|           Reserved            | Next Protocol |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                VXLAN Network Identifier (VNI) |   Reserved    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! [`VxlanPacket`] is a zero-copy view over a buffer (read any bit, write any
//! bit, no validation beyond length). [`VxlanHeader`] is the owned meaning of
//! a header that passed the checked decode (I flag set); every reserved bit
//! it was decoded from is kept and written back unchanged.

use bytes::BufMut;

use crate::error::{Layer, rd};
use crate::{Error, Vni};

/// Length of every VXLAN header flavour.
pub const HEADER_LEN: usize = 8;

/// I flag (VNI valid), 0x08 of byte 0, in all flavours.
pub const FLAG_I: u8 = 0x08;
/// GBP: G flag (Group Policy ID present), 0x80 of byte 0.
pub const GBP_FLAG_G: u8 = 0x80;
/// GBP: D flag (don't learn), 0x40 of byte 1.
pub const GBP_FLAG_D: u8 = 0x40;
/// GBP: A flag (policy applied), 0x08 of byte 1.
pub const GBP_FLAG_A: u8 = 0x08;
/// GPE: version field, 0x30 of byte 0.
pub const GPE_VERSION_MASK: u8 = 0x30;
/// GPE: P flag (Next Protocol present), 0x04 of byte 0.
pub const GPE_FLAG_P: u8 = 0x04;
/// GPE: B flag (ingress-replicated BUM traffic), 0x02 of byte 0.
pub const GPE_FLAG_B: u8 = 0x02;
/// GPE: O flag (OAM packet), 0x01 of byte 0.
pub const GPE_FLAG_O: u8 = 0x01;

/// How the first four bytes of a header are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum HeaderFlavour {
    /// RFC 7348.
    #[default]
    Standard,
    /// Group Based Policy extension.
    Gbp,
    /// Generic Protocol Extension.
    Gpe,
}

/// VXLAN-GPE Next Protocol values; unknown values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum NextProtocol {
    /// 0x01.
    Ipv4,
    /// 0x02.
    Ipv6,
    /// 0x03.
    Ethernet,
    /// 0x04, Network Service Header.
    Nsh,
    /// 0x05.
    Mpls,
    /// Any other value (0 and 0x06..=0xFF), kept as is. Always holds a value
    /// that is not one of the named ones when produced by [`From<u8>`].
    Unknown(u8),
}

impl From<u8> for NextProtocol {
    fn from(v: u8) -> Self {
        match v {
            1 => NextProtocol::Ipv4,
            2 => NextProtocol::Ipv6,
            3 => NextProtocol::Ethernet,
            4 => NextProtocol::Nsh,
            5 => NextProtocol::Mpls,
            other => NextProtocol::Unknown(other),
        }
    }
}

impl From<NextProtocol> for u8 {
    fn from(p: NextProtocol) -> u8 {
        match p {
            NextProtocol::Ipv4 => 1,
            NextProtocol::Ipv6 => 2,
            NextProtocol::Ethernet => 3,
            NextProtocol::Nsh => 4,
            NextProtocol::Mpls => 5,
            NextProtocol::Unknown(v) => v,
        }
    }
}

/// A zero-copy view of a VXLAN header and what follows it.
///
/// Getters read fixed offsets; they do not check that the buffer is long
/// enough unless the view was made with [`VxlanPacket::new_checked`], and
/// return 0/false for bytes that are missing instead of panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VxlanPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> VxlanPacket<T> {
    /// Wraps a buffer without any check.
    pub const fn new_unchecked(buffer: T) -> Self {
        VxlanPacket { buffer }
    }

    /// Wraps a buffer that holds at least 8 bytes with the I flag set.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        let p = Self::new_unchecked(buffer);
        p.check_len()?;
        if !p.vni_flag() {
            return Err(Error::VniFlagClear {
                offset: 0,
                flags: p.flags(),
            });
        }
        Ok(p)
    }

    /// Checks only that the buffer holds a whole header.
    pub fn check_len(&self) -> Result<(), Error> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated {
                layer: Layer::VxlanHeader,
                offset: 0,
                needed: HEADER_LEN,
                available: len,
            });
        }
        Ok(())
    }

    /// The underlying buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn byte(&self, i: usize) -> u8 {
        rd::byte(self.buffer.as_ref(), i)
    }

    /// Byte 0, all flag bits.
    pub fn flags(&self) -> u8 {
        self.byte(0)
    }
    /// The I flag (VNI present), 0x08 of byte 0.
    pub fn vni_flag(&self) -> bool {
        self.flags() & FLAG_I != 0
    }
    /// Bytes 1-3 as a 24-bit number (reserved in the standard flavour).
    pub fn reserved1(&self) -> u32 {
        u32::from_be_bytes([0, self.byte(1), self.byte(2), self.byte(3)])
    }
    /// The VNI, bytes 4-6.
    pub fn vni(&self) -> Vni {
        Vni::from_be_bytes([self.byte(4), self.byte(5), self.byte(6)])
    }
    /// Byte 7 (reserved in all flavours).
    pub fn reserved2(&self) -> u8 {
        self.byte(7)
    }
    /// GBP: the G flag (group policy ID present).
    pub fn gbp_group_policy_present(&self) -> bool {
        self.flags() & GBP_FLAG_G != 0
    }
    /// GBP: the D flag (don't learn).
    pub fn gbp_dont_learn(&self) -> bool {
        self.byte(1) & GBP_FLAG_D != 0
    }
    /// GBP: the A flag (policy applied).
    pub fn gbp_policy_applied(&self) -> bool {
        self.byte(1) & GBP_FLAG_A != 0
    }
    /// GBP: the 16-bit group policy ID (bytes 2-3).
    pub fn gbp_group_policy_id(&self) -> u16 {
        u16::from_be_bytes([self.byte(2), self.byte(3)])
    }
    /// GPE: the 2-bit version.
    pub fn gpe_version(&self) -> u8 {
        (self.flags() & GPE_VERSION_MASK) >> 4
    }
    /// GPE: the P flag (next protocol present).
    pub fn gpe_next_protocol_present(&self) -> bool {
        self.flags() & GPE_FLAG_P != 0
    }
    /// GPE: the B flag (BUM traffic).
    pub fn gpe_bum(&self) -> bool {
        self.flags() & GPE_FLAG_B != 0
    }
    /// GPE: the O flag (OAM).
    pub fn gpe_oam(&self) -> bool {
        self.flags() & GPE_FLAG_O != 0
    }
    /// GPE: the next protocol octet (byte 3).
    pub fn gpe_next_protocol(&self) -> NextProtocol {
        NextProtocol::from(self.byte(3))
    }
    /// The 8 header bytes (missing bytes read as 0).
    pub fn header_bytes(&self) -> [u8; HEADER_LEN] {
        core::array::from_fn(|i| self.byte(i))
    }
    /// Everything after the 8-byte header (empty if the buffer is shorter).
    pub fn payload(&self) -> &[u8] {
        self.buffer.as_ref().get(HEADER_LEN..).unwrap_or(&[])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> VxlanPacket<T> {
    fn set_byte(&mut self, i: usize, v: u8) {
        if let Some(b) = self.buffer.as_mut().get_mut(i) {
            *b = v;
        }
    }
    fn set_bit(&mut self, i: usize, mask: u8, on: bool) {
        let b = self.byte(i);
        self.set_byte(i, if on { b | mask } else { b & !mask });
    }
    /// Sets byte 0, all flag bits.
    pub fn set_flags(&mut self, v: u8) {
        self.set_byte(0, v)
    }
    /// Sets or clears the I flag.
    pub fn set_vni_flag(&mut self, on: bool) {
        self.set_bit(0, FLAG_I, on)
    }
    /// Sets bytes 1-3 (the low 24 bits of `v`).
    pub fn set_reserved1(&mut self, v: u32) {
        let b = v.to_be_bytes();
        self.set_byte(1, b[1]);
        self.set_byte(2, b[2]);
        self.set_byte(3, b[3]);
    }
    /// Sets the VNI.
    pub fn set_vni(&mut self, vni: Vni) {
        let b = vni.to_be_bytes();
        self.set_byte(4, b[0]);
        self.set_byte(5, b[1]);
        self.set_byte(6, b[2]);
    }
    /// Sets byte 7.
    pub fn set_reserved2(&mut self, v: u8) {
        self.set_byte(7, v)
    }
    /// GBP: sets or clears G.
    pub fn set_gbp_group_policy_present(&mut self, on: bool) {
        self.set_bit(0, GBP_FLAG_G, on)
    }
    /// GBP: sets or clears D.
    pub fn set_gbp_dont_learn(&mut self, on: bool) {
        self.set_bit(1, GBP_FLAG_D, on)
    }
    /// GBP: sets or clears A.
    pub fn set_gbp_policy_applied(&mut self, on: bool) {
        self.set_bit(1, GBP_FLAG_A, on)
    }
    /// GBP: sets the group policy ID.
    pub fn set_gbp_group_policy_id(&mut self, id: u16) {
        let b = id.to_be_bytes();
        self.set_byte(2, b[0]);
        self.set_byte(3, b[1]);
    }
    /// GPE: sets the version (low 2 bits of `v`).
    pub fn set_gpe_version(&mut self, v: u8) {
        let f = self.flags() & !GPE_VERSION_MASK;
        self.set_flags(f | ((v << 4) & GPE_VERSION_MASK))
    }
    /// GPE: sets or clears P.
    pub fn set_gpe_next_protocol_present(&mut self, on: bool) {
        self.set_bit(0, GPE_FLAG_P, on)
    }
    /// GPE: sets or clears B.
    pub fn set_gpe_bum(&mut self, on: bool) {
        self.set_bit(0, GPE_FLAG_B, on)
    }
    /// GPE: sets or clears O.
    pub fn set_gpe_oam(&mut self, on: bool) {
        self.set_bit(0, GPE_FLAG_O, on)
    }
    /// GPE: sets the next protocol octet.
    pub fn set_gpe_next_protocol(&mut self, p: NextProtocol) {
        self.set_byte(3, p.into())
    }
    /// Everything after the header, writable.
    pub fn payload_mut(&mut self) -> &mut [u8] {
        self.buffer
            .as_mut()
            .get_mut(HEADER_LEN..)
            .unwrap_or(&mut [])
    }
}

/// Standard RFC 7348 header. The I flag is implied (always written as 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StandardHeader {
    /// VXLAN Network Identifier.
    pub vni: Vni,
    /// Byte 0 except the I flag (mask 0xF7); reserved, kept verbatim.
    pub reserved_flags: u8,
    /// Bytes 1-3, reserved, kept verbatim.
    pub reserved1: [u8; 3],
    /// Byte 7, reserved, kept verbatim.
    pub reserved2: u8,
}

/// Group Based Policy header. The I flag is implied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GbpHeader {
    /// VXLAN Network Identifier.
    pub vni: Vni,
    /// G: the Group Policy ID field is meaningful.
    pub group_policy_present: bool,
    /// D: the receiving VTEP must not learn the inner source address.
    pub dont_learn: bool,
    /// A: the group policy has already been applied.
    pub policy_applied: bool,
    /// Group Policy ID (source security group), bytes 2-3; kept even when G
    /// is clear.
    pub group_policy_id: u16,
    /// Byte 0 except G and I (mask 0x77); reserved, kept verbatim.
    pub reserved_flags: u8,
    /// Byte 1 except D and A (mask 0xB7); reserved, kept verbatim.
    pub reserved_flags2: u8,
    /// Byte 7, reserved, kept verbatim.
    pub reserved2: u8,
}

/// VXLAN-GPE header. The I flag is implied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GpeHeader {
    /// VXLAN Network Identifier.
    pub vni: Vni,
    /// Version, 2 bits (only the low 2 bits are written); the draft defines 0.
    pub version: u8,
    /// P: the Next Protocol field is present.
    pub next_protocol_present: bool,
    /// B: ingress-replicated broadcast/unknown/multicast traffic.
    pub bum: bool,
    /// O: OAM packet.
    pub oam: bool,
    /// Next Protocol, byte 3.
    pub next_protocol: NextProtocol,
    /// The two leading reserved bits of byte 0 (mask 0xC0), kept verbatim.
    pub reserved_flags: u8,
    /// Bytes 1-2, reserved, kept verbatim.
    pub reserved1: [u8; 2],
    /// Byte 7, reserved, kept verbatim.
    pub reserved2: u8,
}

/// An owned VXLAN header of any flavour.
///
/// Reserved fields are masked to the bits they own when encoding (e.g. the
/// 0x08 bit of `reserved_flags` is the I flag and always written as 1), so a
/// decoded header re-encodes to exactly the bytes it came from.
///
/// ```
/// use vxlan_wire::{HeaderFlavour, Vni, VxlanHeader};
/// let h = VxlanHeader::new(Vni::new(0x123456).unwrap());
/// let bytes = h.to_bytes();
/// assert_eq!(bytes, [0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0]);
/// assert_eq!(VxlanHeader::decode(&bytes, HeaderFlavour::Standard).unwrap(), h);
/// // I flag clear: rejected.
/// assert!(VxlanHeader::decode(&[0, 0, 0, 0, 0x12, 0x34, 0x56, 0], HeaderFlavour::Standard).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "flavour", rename_all = "snake_case"))]
pub enum VxlanHeader {
    /// RFC 7348.
    Standard(StandardHeader),
    /// Group Based Policy.
    Gbp(GbpHeader),
    /// Generic Protocol Extension.
    Gpe(GpeHeader),
}

impl VxlanHeader {
    /// A standard header with all reserved bits zero.
    pub const fn new(vni: Vni) -> Self {
        VxlanHeader::Standard(StandardHeader {
            vni,
            reserved_flags: 0,
            reserved1: [0; 3],
            reserved2: 0,
        })
    }

    /// A GBP header with the G flag set and the given policy ID and flags.
    pub const fn gbp(
        vni: Vni,
        group_policy_id: u16,
        dont_learn: bool,
        policy_applied: bool,
    ) -> Self {
        VxlanHeader::Gbp(GbpHeader {
            vni,
            group_policy_present: true,
            dont_learn,
            policy_applied,
            group_policy_id,
            reserved_flags: 0,
            reserved_flags2: 0,
            reserved2: 0,
        })
    }

    /// A GPE version 0 header with P set and the given next protocol.
    pub const fn gpe(vni: Vni, next_protocol: NextProtocol) -> Self {
        VxlanHeader::Gpe(GpeHeader {
            vni,
            version: 0,
            next_protocol_present: true,
            bum: false,
            oam: false,
            next_protocol,
            reserved_flags: 0,
            reserved1: [0; 2],
            reserved2: 0,
        })
    }

    /// The VNI.
    pub const fn vni(&self) -> Vni {
        match self {
            VxlanHeader::Standard(h) => h.vni,
            VxlanHeader::Gbp(h) => h.vni,
            VxlanHeader::Gpe(h) => h.vni,
        }
    }

    /// Which flavour this is.
    pub const fn flavour(&self) -> HeaderFlavour {
        match self {
            VxlanHeader::Standard(_) => HeaderFlavour::Standard,
            VxlanHeader::Gbp(_) => HeaderFlavour::Gbp,
            VxlanHeader::Gpe(_) => HeaderFlavour::Gpe,
        }
    }

    /// The GBP fields, if this is a GBP header.
    pub const fn as_gbp(&self) -> Option<&GbpHeader> {
        match self {
            VxlanHeader::Gbp(h) => Some(h),
            _ => None,
        }
    }

    /// The GPE fields, if this is a GPE header.
    pub const fn as_gpe(&self) -> Option<&GpeHeader> {
        match self {
            VxlanHeader::Gpe(h) => Some(h),
            _ => None,
        }
    }

    /// Checked decode of the first 8 bytes of `buf` (more bytes are ignored).
    /// Errors: fewer than 8 bytes, or I flag clear.
    pub fn decode(buf: &[u8], flavour: HeaderFlavour) -> Result<Self, Error> {
        Self::decode_at(buf, 0, flavour)
    }

    /// Checked decode of the header at `buf[off..]`; error offsets are
    /// relative to `buf`.
    pub(crate) fn decode_at(buf: &[u8], off: usize, flavour: HeaderFlavour) -> Result<Self, Error> {
        let b: [u8; HEADER_LEN] = rd::array(buf, off, Layer::VxlanHeader)?;
        if b[0] & FLAG_I == 0 {
            return Err(Error::VniFlagClear {
                offset: off,
                flags: b[0],
            });
        }
        Ok(Self::from_array_with_i(b, flavour))
    }

    /// Checked decode of exactly 8 bytes.
    pub fn from_array(b: [u8; HEADER_LEN], flavour: HeaderFlavour) -> Result<Self, Error> {
        if b[0] & FLAG_I == 0 {
            return Err(Error::VniFlagClear {
                offset: 0,
                flags: b[0],
            });
        }
        Ok(Self::from_array_with_i(b, flavour))
    }

    /// Decode of 8 bytes whose I flag the caller has checked. Always
    /// inlined: built in registers, the header is stored once into its
    /// destination (an out-of-line call returns it through memory that the
    /// caller then reads back with wider loads, a store-forwarding stall).
    #[inline(always)]
    pub(crate) fn from_array_with_i(b: [u8; HEADER_LEN], flavour: HeaderFlavour) -> Self {
        let vni = Vni::from_be_bytes([b[4], b[5], b[6]]);
        match flavour {
            HeaderFlavour::Standard => VxlanHeader::Standard(StandardHeader {
                vni,
                reserved_flags: b[0] & !FLAG_I,
                reserved1: [b[1], b[2], b[3]],
                reserved2: b[7],
            }),
            HeaderFlavour::Gbp => VxlanHeader::Gbp(GbpHeader {
                vni,
                group_policy_present: b[0] & GBP_FLAG_G != 0,
                dont_learn: b[1] & GBP_FLAG_D != 0,
                policy_applied: b[1] & GBP_FLAG_A != 0,
                group_policy_id: u16::from_be_bytes([b[2], b[3]]),
                reserved_flags: b[0] & !(GBP_FLAG_G | FLAG_I),
                reserved_flags2: b[1] & !(GBP_FLAG_D | GBP_FLAG_A),
                reserved2: b[7],
            }),
            HeaderFlavour::Gpe => VxlanHeader::Gpe(GpeHeader {
                vni,
                version: (b[0] & GPE_VERSION_MASK) >> 4,
                next_protocol_present: b[0] & GPE_FLAG_P != 0,
                bum: b[0] & GPE_FLAG_B != 0,
                oam: b[0] & GPE_FLAG_O != 0,
                next_protocol: NextProtocol::from(b[3]),
                reserved_flags: b[0] & 0xC0,
                reserved1: [b[1], b[2]],
                reserved2: b[7],
            }),
        }
    }

    /// The 8 wire bytes.
    #[inline]
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let flag = |on: bool, m: u8| if on { m } else { 0 };
        match self {
            VxlanHeader::Standard(h) => {
                let v = h.vni.to_be_bytes();
                [
                    (h.reserved_flags & !FLAG_I) | FLAG_I,
                    h.reserved1[0],
                    h.reserved1[1],
                    h.reserved1[2],
                    v[0],
                    v[1],
                    v[2],
                    h.reserved2,
                ]
            }
            VxlanHeader::Gbp(h) => {
                let v = h.vni.to_be_bytes();
                let id = h.group_policy_id.to_be_bytes();
                [
                    (h.reserved_flags & !(GBP_FLAG_G | FLAG_I))
                        | FLAG_I
                        | flag(h.group_policy_present, GBP_FLAG_G),
                    (h.reserved_flags2 & !(GBP_FLAG_D | GBP_FLAG_A))
                        | flag(h.dont_learn, GBP_FLAG_D)
                        | flag(h.policy_applied, GBP_FLAG_A),
                    id[0],
                    id[1],
                    v[0],
                    v[1],
                    v[2],
                    h.reserved2,
                ]
            }
            VxlanHeader::Gpe(h) => {
                let v = h.vni.to_be_bytes();
                [
                    (h.reserved_flags & 0xC0)
                        | ((h.version << 4) & GPE_VERSION_MASK)
                        | FLAG_I
                        | flag(h.next_protocol_present, GPE_FLAG_P)
                        | flag(h.bum, GPE_FLAG_B)
                        | flag(h.oam, GPE_FLAG_O),
                    h.reserved1[0],
                    h.reserved1[1],
                    h.next_protocol.into(),
                    v[0],
                    v[1],
                    v[2],
                    h.reserved2,
                ]
            }
        }
    }

    /// Always [`HEADER_LEN`].
    pub const fn encoded_len(&self) -> usize {
        HEADER_LEN
    }

    /// Writes the 8 wire bytes.
    pub fn encode(&self, out: &mut impl BufMut) {
        out.put_slice(&self.to_bytes());
    }

    /// Writes the header into the first 8 bytes of a view.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut VxlanPacket<T>) {
        let b = self.to_bytes();
        if let Some(dst) = packet.buffer.as_mut().get_mut(..HEADER_LEN) {
            dst.copy_from_slice(&b);
        }
    }

    /// Checked decode through a view.
    pub fn parse<T: AsRef<[u8]>>(
        packet: &VxlanPacket<T>,
        flavour: HeaderFlavour,
    ) -> Result<Self, Error> {
        Self::decode(packet.buffer.as_ref(), flavour)
    }
}

impl From<StandardHeader> for VxlanHeader {
    fn from(h: StandardHeader) -> Self {
        VxlanHeader::Standard(h)
    }
}
impl From<GbpHeader> for VxlanHeader {
    fn from(h: GbpHeader) -> Self {
        VxlanHeader::Gbp(h)
    }
}
impl From<GpeHeader> for VxlanHeader {
    fn from(h: GpeHeader) -> Self {
        VxlanHeader::Gpe(h)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn vni(v: u32) -> Vni {
        Vni::new(v).unwrap()
    }

    #[test]
    fn standard_layout() {
        // RFC 7348 layout, VNI 0x123456, payload after it.
        let buf = [0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0, b'h', b'i'];
        let p = VxlanPacket::new_checked(&buf[..]).unwrap();
        assert!(p.vni_flag());
        assert_eq!(p.vni().get(), 0x12_3456);
        assert_eq!(p.payload(), b"hi");
        let h = VxlanHeader::parse(&p, HeaderFlavour::Standard).unwrap();
        assert_eq!(h, VxlanHeader::new(vni(0x12_3456)));
    }

    #[test]
    fn i_flag_clear_is_rejected() {
        let buf = [0x00, 0, 0, 0, 0x12, 0x34, 0x56, 0];
        assert_eq!(
            VxlanPacket::new_checked(&buf[..]).unwrap_err(),
            Error::VniFlagClear {
                offset: 0,
                flags: 0
            }
        );
        for f in [
            HeaderFlavour::Standard,
            HeaderFlavour::Gbp,
            HeaderFlavour::Gpe,
        ] {
            assert!(matches!(
                VxlanHeader::decode(&buf, f),
                Err(Error::VniFlagClear { offset: 0, .. })
            ));
        }
        // unchecked view still reads it
        assert_eq!(VxlanPacket::new_unchecked(&buf[..]).vni().get(), 0x12_3456);
        // offset is relative to the caller's buffer
        let mut framed = [0xEEu8; 12];
        framed[4..].copy_from_slice(&buf);
        assert_eq!(
            VxlanHeader::decode_at(&framed, 4, HeaderFlavour::Standard),
            Err(Error::VniFlagClear {
                offset: 4,
                flags: 0
            })
        );
    }

    #[test]
    fn truncation_is_typed() {
        let buf = [0x08, 0, 0, 0, 0, 0, 1];
        assert_eq!(
            VxlanHeader::decode(&buf, HeaderFlavour::Standard),
            Err(Error::Truncated {
                layer: Layer::VxlanHeader,
                offset: 0,
                needed: 8,
                available: 7
            })
        );
        assert!(VxlanPacket::new_checked(&buf[..]).is_err());
        let short = VxlanPacket::new_unchecked(&buf[..]);
        assert_eq!(short.reserved2(), 0);
        assert_eq!(short.payload(), &[] as &[u8]);
    }

    #[test]
    fn reserved_bits_are_kept() {
        let buf = [0xFF, 0xAB, 0xCD, 0xEF, 0, 0, 1, 0x99];
        let h = VxlanHeader::decode(&buf, HeaderFlavour::Standard).unwrap();
        assert_eq!(
            h,
            VxlanHeader::Standard(StandardHeader {
                vni: vni(1),
                reserved_flags: 0xF7,
                reserved1: [0xAB, 0xCD, 0xEF],
                reserved2: 0x99
            })
        );
        assert_eq!(h.to_bytes(), buf);
        for f in [HeaderFlavour::Gbp, HeaderFlavour::Gpe] {
            assert_eq!(VxlanHeader::decode(&buf, f).unwrap().to_bytes(), buf);
        }
    }

    #[test]
    fn gbp_layout() {
        // G + I, D + A, policy 0x1234, VNI 10
        let buf = [0x88, 0x48, 0x12, 0x34, 0, 0, 10, 0];
        let h = VxlanHeader::decode(&buf, HeaderFlavour::Gbp).unwrap();
        assert_eq!(h, VxlanHeader::gbp(vni(10), 0x1234, true, true));
        let g = h.as_gbp().unwrap();
        assert!(g.group_policy_present && g.dont_learn && g.policy_applied);
        let p = VxlanPacket::new_unchecked(&buf[..]);
        assert!(p.gbp_group_policy_present() && p.gbp_dont_learn() && p.gbp_policy_applied());
        assert_eq!(p.gbp_group_policy_id(), 0x1234);
        assert_eq!(h.to_bytes(), buf);
        let only_a = [0x08, 0x08, 0, 0, 0, 0, 10, 0];
        let h = VxlanHeader::decode(&only_a, HeaderFlavour::Gbp).unwrap();
        let g = h.as_gbp().unwrap();
        assert!(!g.group_policy_present && !g.dont_learn && g.policy_applied);
    }

    #[test]
    fn gpe_layout() {
        // version 0, I, P, O ; next protocol NSH; VNI 0xABCDEF
        let buf = [0x0D, 0, 0, 0x04, 0xAB, 0xCD, 0xEF, 0];
        let h = VxlanHeader::decode(&buf, HeaderFlavour::Gpe).unwrap();
        let g = *h.as_gpe().unwrap();
        assert_eq!(g.version, 0);
        assert!(g.next_protocol_present && g.oam && !g.bum);
        assert_eq!(g.next_protocol, NextProtocol::Nsh);
        assert_eq!(h.vni().get(), 0xAB_CDEF);
        assert_eq!(h.to_bytes(), buf);
        let v2b = [0x2A, 0, 0, 0x77, 0, 0, 0, 0];
        let h = VxlanHeader::decode(&v2b, HeaderFlavour::Gpe).unwrap();
        let g = h.as_gpe().unwrap();
        assert_eq!(g.version, 2);
        assert!(g.bum && !g.oam && !g.next_protocol_present);
        assert_eq!(g.next_protocol, NextProtocol::Unknown(0x77));
        assert_eq!(h.to_bytes(), v2b);
        for (v, p) in [
            (1, NextProtocol::Ipv4),
            (2, NextProtocol::Ipv6),
            (3, NextProtocol::Ethernet),
            (4, NextProtocol::Nsh),
            (5, NextProtocol::Mpls),
            (0, NextProtocol::Unknown(0)),
        ] {
            assert_eq!(NextProtocol::from(v), p);
            assert_eq!(u8::from(p), v);
        }
    }

    #[test]
    fn view_setters() {
        let mut buf = [0xA5u8; 10];
        let mut p = VxlanPacket::new_unchecked(&mut buf[..]);
        p.set_flags(0);
        p.set_vni_flag(true);
        p.set_reserved1(0);
        p.set_vni(vni(0x010203));
        p.set_reserved2(0);
        p.payload_mut().copy_from_slice(b"ok");
        assert_eq!(buf, [0x08, 0, 0, 0, 1, 2, 3, 0, b'o', b'k']);
        let mut p = VxlanPacket::new_unchecked(&mut buf[..]);
        p.set_gbp_group_policy_present(true);
        p.set_gbp_dont_learn(true);
        p.set_gbp_policy_applied(true);
        p.set_gbp_group_policy_id(0xBEEF);
        assert_eq!(&buf[..4], &[0x88, 0x48, 0xBE, 0xEF]);
        let mut p = VxlanPacket::new_unchecked(&mut buf[..]);
        p.set_flags(0x08);
        p.set_gpe_version(3);
        p.set_gpe_next_protocol_present(true);
        p.set_gpe_bum(true);
        p.set_gpe_oam(true);
        p.set_gpe_next_protocol(NextProtocol::Ethernet);
        assert_eq!(p.gpe_version(), 3);
        assert!(p.gpe_bum() && p.gpe_oam() && p.gpe_next_protocol_present());
        assert_eq!(p.gpe_next_protocol(), NextProtocol::Ethernet);
        assert_eq!(buf[0], 0x3F);
        // setters on a short buffer do nothing rather than panic
        let mut tiny = [0u8; 2];
        let mut p = VxlanPacket::new_unchecked(&mut tiny[..]);
        p.set_vni(Vni::MAX);
        p.set_gbp_group_policy_id(1);
        assert_eq!(p.payload_mut().len(), 0);
        assert_eq!(tiny, [0, 0]);
    }

    #[test]
    fn emit_into_view() {
        let h = VxlanHeader::gbp(vni(77), 9, false, true);
        let mut buf = [0xA5u8; 8];
        h.emit(&mut VxlanPacket::new_unchecked(&mut buf[..]));
        assert_eq!(buf, h.to_bytes());
    }

    pub(crate) fn arb_vni() -> impl Strategy<Value = Vni> {
        (0u32..=0xFF_FFFF).prop_map(|v| Vni::new(v).unwrap())
    }

    pub(crate) fn arb_header() -> impl Strategy<Value = VxlanHeader> {
        prop_oneof![
            (arb_vni(), any::<u8>(), any::<[u8; 3]>(), any::<u8>()).prop_map(|(vni, f, r1, r2)| {
                VxlanHeader::Standard(StandardHeader {
                    vni,
                    reserved_flags: f & !FLAG_I,
                    reserved1: r1,
                    reserved2: r2,
                })
            }),
            (
                arb_vni(),
                any::<[bool; 3]>(),
                any::<u16>(),
                any::<[u8; 3]>()
            )
                .prop_map(|(vni, b, id, r)| VxlanHeader::Gbp(GbpHeader {
                    vni,
                    group_policy_present: b[0],
                    dont_learn: b[1],
                    policy_applied: b[2],
                    group_policy_id: id,
                    reserved_flags: r[0] & 0x77,
                    reserved_flags2: r[1] & 0xB7,
                    reserved2: r[2],
                })),
            (
                arb_vni(),
                0u8..4,
                any::<[bool; 3]>(),
                any::<u8>(),
                any::<[u8; 4]>()
            )
                .prop_map(|(vni, version, b, np, r)| VxlanHeader::Gpe(GpeHeader {
                    vni,
                    version,
                    next_protocol_present: b[0],
                    bum: b[1],
                    oam: b[2],
                    next_protocol: NextProtocol::from(np),
                    reserved_flags: r[0] & 0xC0,
                    reserved1: [r[1], r[2]],
                    reserved2: r[3],
                })),
        ]
    }

    proptest! {
        #[test]
        fn header_round_trip(h in arb_header()) {
            let mut out = Vec::new();
            h.encode(&mut out);
            prop_assert_eq!(out.len(), h.encoded_len());
            prop_assert_eq!(VxlanHeader::decode(&out, h.flavour()).unwrap(), h);
            let mut pre = [0xA5u8; HEADER_LEN];
            h.emit(&mut VxlanPacket::new_unchecked(&mut pre[..]));
            prop_assert_eq!(&pre[..], &out[..]);
            let view = VxlanPacket::new_checked(&out[..]).unwrap();
            prop_assert_eq!(view.vni(), h.vni());
            for cut in 0..HEADER_LEN {
                let is_truncated = matches!(
                    VxlanHeader::decode(&out[..cut], h.flavour()),
                    Err(Error::Truncated { layer: Layer::VxlanHeader, offset: 0, .. })
                );
                prop_assert!(is_truncated);
            }
        }

        #[test]
        fn any_bytes_with_i_round_trip(mut b in any::<[u8; 8]>(), f in 0usize..3) {
            b[0] |= FLAG_I;
            let flavour = [HeaderFlavour::Standard, HeaderFlavour::Gbp, HeaderFlavour::Gpe][f];
            prop_assert_eq!(VxlanHeader::from_array(b, flavour).unwrap().to_bytes(), b);
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip() {
        for h in [
            VxlanHeader::new(vni(5)),
            VxlanHeader::gbp(vni(6), 7, true, false),
            VxlanHeader::gpe(vni(8), NextProtocol::Unknown(0x42)),
        ] {
            let s = serde_json::to_string(&h).unwrap();
            assert_eq!(serde_json::from_str::<VxlanHeader>(&s).unwrap(), h);
        }
        let s = serde_json::to_string(&VxlanHeader::new(vni(5))).unwrap();
        assert!(s.contains("\"flavour\":\"standard\""), "{s}");
    }
}
