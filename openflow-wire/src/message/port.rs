//! `ofp_port`, PORT_STATUS (type 12) and PORT_MOD (type 16).
//!
//! ```text
//! ofp_port (64): | port_no (4) | pad (4) | hw_addr (6) | pad (2) | name (16)
//!   | config (4) | state (4) | curr (4) | advertised (4) | supported (4)
//!   | peer (4) | curr_speed (4) | max_speed (4) |
//! PORT_STATUS:   | reason (1) | pad (7) | ofp_port (64) |
//! PORT_MOD (32): | port_no (4) | pad (4) | hw_addr (6) | pad (2) | config (4)
//!   | mask (4) | advertise (4) | pad (4) |
//! ```

use bytes::BufMut;
use macaddr::MacAddr6;

use crate::Error;
use crate::codec::Reader;

/// A port description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Port {
    /// Port number.
    pub port_no: u32,
    /// MAC address.
    pub hw_addr: MacAddr6,
    /// Name, NUL-padded (see [`Port::name_str`]).
    pub name: [u8; 16],
    /// `OFPPC_*` config bits.
    pub config: u32,
    /// `OFPPS_*` state bits.
    pub state: u32,
    /// Current features (`OFPPF_*`).
    pub curr: u32,
    /// Advertised features.
    pub advertised: u32,
    /// Supported features.
    pub supported: u32,
    /// Peer's advertised features.
    pub peer: u32,
    /// Current speed, kbps.
    pub curr_speed: u32,
    /// Maximum speed, kbps.
    pub max_speed: u32,
}

impl Default for Port {
    fn default() -> Self {
        Port {
            port_no: 0,
            hw_addr: MacAddr6::nil(),
            name: [0; 16],
            config: 0,
            state: 0,
            curr: 0,
            advertised: 0,
            supported: 0,
            peer: 0,
            curr_speed: 0,
            max_speed: 0,
        }
    }
}

impl Port {
    /// Encoded length.
    pub const LEN: usize = 64;

    /// The name up to its first NUL, if it is UTF-8.
    pub fn name_str(&self) -> Option<&str> {
        let end = self.name.iter().position(|b| *b == 0).unwrap_or(16);
        core::str::from_utf8(&self.name[..end]).ok()
    }

    /// `name` as a NUL-padded field (at most 15 bytes are kept, so a NUL
    /// always ends it).
    pub fn name_field(name: &str) -> [u8; 16] {
        let mut out = [0u8; 16];
        let n = name.len().min(15);
        out[..n].copy_from_slice(&name.as_bytes()[..n]);
        out
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "ofp_port")?;
        let port_no = r.u32("port_no")?;
        r.skip(4, "port pad")?;
        let hw_addr = MacAddr6::from(r.array::<6>("hw_addr")?);
        r.skip(2, "port pad")?;
        Ok(Port {
            port_no,
            hw_addr,
            name: r.array("port name")?,
            config: r.u32("port config")?,
            state: r.u32("port state")?,
            curr: r.u32("curr")?,
            advertised: r.u32("advertised")?,
            supported: r.u32("supported")?,
            peer: r.u32("peer")?,
            curr_speed: r.u32("curr_speed")?,
            max_speed: r.u32("max_speed")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.port_no);
        b.put_u32(0);
        b.put_slice(self.hw_addr.as_bytes());
        b.put_u16(0);
        b.put_slice(&self.name);
        for v in [
            self.config,
            self.state,
            self.curr,
            self.advertised,
            self.supported,
            self.peer,
            self.curr_speed,
            self.max_speed,
        ] {
            b.put_u32(v);
        }
        Ok(())
    }
}

/// PORT_STATUS: a port was added, deleted or modified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortStatus {
    /// `OFPPR_*` reason (0 add, 1 delete, 2 modify).
    pub reason: u8,
    /// The port.
    pub desc: Port,
}

impl PortStatus {
    /// Body length.
    pub const LEN: usize = 72;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let reason = r.u8("port_status reason")?;
        r.skip(7, "port_status pad")?;
        Ok(PortStatus {
            reason,
            desc: Port::read(r)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u8(self.reason);
        b.put_bytes(0, 7);
        self.desc.write(b)
    }
}

/// PORT_MOD: change a port's config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortMod {
    /// Port number.
    pub port_no: u32,
    /// The port's MAC (a sanity check for the switch).
    pub hw_addr: MacAddr6,
    /// `OFPPC_*` bits to set.
    pub config: u32,
    /// Which `config` bits to change.
    pub mask: u32,
    /// Features to advertise (0 = unchanged).
    pub advertise: u32,
}

impl PortMod {
    /// Body length.
    pub const LEN: usize = 32;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let port_no = r.u32("port_no")?;
        r.skip(4, "port_mod pad")?;
        let hw_addr = MacAddr6::from(r.array::<6>("hw_addr")?);
        r.skip(2, "port_mod pad")?;
        let m = PortMod {
            port_no,
            hw_addr,
            config: r.u32("port_mod config")?,
            mask: r.u32("port_mod mask")?,
            advertise: r.u32("port_mod advertise")?,
        };
        r.skip(4, "port_mod pad")?;
        Ok(m)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.port_no);
        b.put_u32(0);
        b.put_slice(self.hw_addr.as_bytes());
        b.put_u16(0);
        b.put_u32(self.config);
        b.put_u32(self.mask);
        b.put_u32(self.advertise);
        b.put_u32(0);
        Ok(())
    }
}
