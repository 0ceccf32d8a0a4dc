//! METER_MOD (type 29) and meter bands.
//!
//! ```text
//! | command (2) | flags (2) | meter_id (4) | bands ... |
//! band: | type (2) | len (2) | rate (4) | burst_size (4) | body |
//!   DROP (1):        | pad (4) |                          16 bytes
//!   DSCP_REMARK (2): | prec_level (1) | pad (3) |         16 bytes
//!   EXPERIMENTER (0xffff): | experimenter (4) | data |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, len16};

/// One meter band.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MeterBand {
    /// Drop packets above `rate`.
    Drop {
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
    },
    /// Raise the drop precedence of packets above `rate`.
    DscpRemark {
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Precedence levels to add.
        prec_level: u8,
    },
    /// An experimenter band, kept raw.
    Experimenter {
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Experimenter id.
        experimenter: u32,
        /// Bytes after the experimenter id.
        data: Vec<u8>,
    },
    /// An unknown band type, kept raw.
    Unknown {
        /// Band type.
        band_type: u16,
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Bytes after the 12-byte band header.
        data: Vec<u8>,
    },
}

impl MeterBand {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        match self {
            MeterBand::Drop { .. } | MeterBand::DscpRemark { .. } => 16,
            MeterBand::Experimenter { data, .. } => 16 + data.len(),
            MeterBand::Unknown { data, .. } => 12 + data.len(),
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let offset = r.offset();
        let mut m = r.tlv(2, 12, "meter band", "at least 12")?;
        let band_type = m.u16("band type")?;
        let len = usize::from(m.u16("band len")?);
        let rate = m.u32("band rate")?;
        let burst_size = m.u32("band burst_size")?;
        let exact16 = || {
            if len == 16 {
                Ok(())
            } else {
                Err(Error::BadLength {
                    what: "meter band",
                    offset,
                    length: len,
                    expected: "16",
                })
            }
        };
        Ok(match band_type {
            1 => {
                exact16()?;
                MeterBand::Drop { rate, burst_size }
            }
            2 => {
                exact16()?;
                MeterBand::DscpRemark {
                    rate,
                    burst_size,
                    prec_level: m.u8("prec_level")?,
                }
            }
            0xffff => MeterBand::Experimenter {
                rate,
                burst_size,
                experimenter: m.u32("band experimenter")?,
                data: m.rest().to_vec(),
            },
            _ => MeterBand::Unknown {
                band_type,
                rate,
                burst_size,
                data: m.rest().to_vec(),
            },
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = len16(self.encoded_len(), "meter band")?;
        let (t, rate, burst) = match self {
            MeterBand::Drop { rate, burst_size } => (1, rate, burst_size),
            MeterBand::DscpRemark {
                rate, burst_size, ..
            } => (2, rate, burst_size),
            MeterBand::Experimenter {
                rate, burst_size, ..
            } => (0xffff, rate, burst_size),
            MeterBand::Unknown {
                band_type,
                rate,
                burst_size,
                ..
            } => (*band_type, rate, burst_size),
        };
        b.put_u16(t);
        b.put_u16(len);
        b.put_u32(*rate);
        b.put_u32(*burst);
        match self {
            MeterBand::Drop { .. } => b.put_u32(0),
            MeterBand::DscpRemark { prec_level, .. } => {
                b.put_u8(*prec_level);
                b.put_bytes(0, 3);
            }
            MeterBand::Experimenter {
                experimenter, data, ..
            } => {
                b.put_u32(*experimenter);
                b.put_slice(data);
            }
            MeterBand::Unknown { data, .. } => b.put_slice(data),
        }
        Ok(())
    }
}

/// Add, change or delete a meter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterMod {
    /// `OFPMC_*` (0 add, 1 modify, 2 delete).
    pub command: u16,
    /// `OFPMF_*` flags (1 kbps, 2 pktps, 4 burst, 8 stats).
    pub flags: u16,
    /// Meter id.
    pub meter_id: u32,
    /// The bands.
    pub bands: Vec<MeterBand>,
}

impl MeterMod {
    /// Checks what Open vSwitch checks beyond the wire format (the decoder
    /// keeps unknown code points): the command is ADD, MODIFY or DELETE,
    /// only the `OFPMF_*` bits 0-3 are set and not both KBPS and PKTPS,
    /// and every band is DROP, DSCP_REMARK or experimenter. Offsets are
    /// relative to the METER_MOD body.
    pub fn validate(&self) -> Result<(), Error> {
        if self.command > 2 {
            return Err(Error::BadValue {
                what: "meter command",
                offset: 0,
                value: self.command.into(),
                expected: "0 (add), 1 (modify) or 2 (delete)",
            });
        }
        if self.flags & !0xf != 0 || self.flags & 3 == 3 {
            return Err(Error::BadValue {
                what: "meter flags",
                offset: 2,
                value: self.flags.into(),
                expected: "OFPMF_* bits 0-3, not both KBPS and PKTPS",
            });
        }
        let mut offset = 8;
        for band in &self.bands {
            if let MeterBand::Unknown { band_type, .. } = band {
                return Err(Error::BadValue {
                    what: "meter band type",
                    offset,
                    value: (*band_type).into(),
                    expected: "1 (drop), 2 (dscp_remark) or 0xffff (experimenter)",
                });
            }
            offset += band.encoded_len();
        }
        Ok(())
    }

    /// Body length.
    pub fn encoded_len(&self) -> usize {
        8 + self.bands.iter().map(MeterBand::encoded_len).sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let command = r.u16("meter command")?;
        let flags = r.u16("meter flags")?;
        let meter_id = r.u32("meter_id")?;
        let mut bands = Vec::new();
        while !r.is_empty() {
            bands.push(MeterBand::read(r)?);
        }
        Ok(MeterMod {
            command,
            flags,
            meter_id,
            bands,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(self.command);
        b.put_u16(self.flags);
        b.put_u32(self.meter_id);
        for band in &self.bands {
            band.write(b)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_like_ovs() {
        let ok = MeterMod {
            command: 0,
            flags: 0xd,
            meter_id: 5,
            bands: vec![MeterBand::Drop {
                rate: 1024,
                burst_size: 128,
            }],
        };
        assert_eq!(ok.validate(), Ok(()));
        let bad_cmd = MeterMod {
            command: 8,
            ..ok.clone()
        };
        assert!(matches!(
            bad_cmd.validate(),
            Err(Error::BadValue {
                what: "meter command",
                ..
            })
        ));
        let bad_flags = MeterMod {
            flags: 3,
            ..ok.clone()
        };
        assert!(matches!(
            bad_flags.validate(),
            Err(Error::BadValue {
                what: "meter flags",
                ..
            })
        ));
        let bad_band = MeterMod {
            bands: vec![MeterBand::Unknown {
                band_type: 5,
                rate: 2,
                burst_size: 2,
                data: vec![0; 4],
            }],
            ..ok
        };
        assert!(matches!(
            bad_band.validate(),
            Err(Error::BadValue {
                offset: 8,
                value: 5,
                ..
            })
        ));
    }
}
