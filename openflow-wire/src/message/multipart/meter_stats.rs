//! OFPMP_METER (9), OFPMP_METER_CONFIG (10) and OFPMP_METER_FEATURES (11) replies.
//!
//! ```text
//! meter stats:  | meter_id (4) | len (2) | pad (6) | flow_count (4)
//!   | packet_in_count (8) | byte_in_count (8) | duration_sec (4) | duration_nsec (4)
//!   | band stats: | packet_band_count (8) | byte_band_count (8) | ... |
//! meter config: | length (2) | flags (2) | meter_id (4) | bands ... |
//! features:     | max_meter (4) | band_types (4) | capabilities (4)
//!   | max_bands (1) | max_color (1) | pad (2) |                            16
//! ```
//! The METER and METER_CONFIG requests are `| meter_id (4) | pad (4) |`.

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, len16};
use crate::message::MeterBand;

/// `OFPM_ALL`: every meter.
pub const OFPM_ALL: u32 = 0xffff_ffff;

/// Counters of one meter band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterBandStats {
    /// Packets in the band.
    pub packet_band_count: u64,
    /// Bytes in the band.
    pub byte_band_count: u64,
}

/// Counters of one meter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterStats {
    /// Meter id.
    pub meter_id: u32,
    /// Flows bound to the meter.
    pub flow_count: u32,
    /// Packets in input.
    pub packet_in_count: u64,
    /// Bytes in input.
    pub byte_in_count: u64,
    /// Seconds the meter has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// One entry per band.
    pub band_stats: Vec<MeterBandStats>,
}

impl MeterStats {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        40 + 16 * self.band_stats.len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let offset = r.offset();
        let mut e = r.tlv(4, 40, "meter stats", "at least 40")?;
        let meter_id = e.u32("meter_id")?;
        let len = e.u16("meter stats len")?;
        if (len - 40) % 16 != 0 {
            return Err(Error::BadLength {
                what: "meter stats",
                offset,
                length: len.into(),
                expected: "40 plus 16 per band",
            });
        }
        e.skip(6, "meter stats pad")?;
        let mut m = MeterStats {
            meter_id,
            flow_count: e.u32("flow_count")?,
            packet_in_count: e.u64("packet_in_count")?,
            byte_in_count: e.u64("byte_in_count")?,
            duration_sec: e.u32("duration_sec")?,
            duration_nsec: e.u32("duration_nsec")?,
            band_stats: Vec::with_capacity(e.remaining() / 16),
        };
        while !e.is_empty() {
            m.band_stats.push(MeterBandStats {
                packet_band_count: e.u64("packet_band_count")?,
                byte_band_count: e.u64("byte_band_count")?,
            });
        }
        Ok(m)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.meter_id);
        b.put_u16(len16(self.encoded_len(), "meter stats")?);
        b.put_bytes(0, 6);
        b.put_u32(self.flow_count);
        b.put_u64(self.packet_in_count);
        b.put_u64(self.byte_in_count);
        b.put_u32(self.duration_sec);
        b.put_u32(self.duration_nsec);
        for s in &self.band_stats {
            b.put_u64(s.packet_band_count);
            b.put_u64(s.byte_band_count);
        }
        Ok(())
    }
}

/// One meter of a METER_CONFIG reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterConfig {
    /// `OFPMF_*` flags.
    pub flags: u16,
    /// Meter id.
    pub meter_id: u32,
    /// The bands.
    pub bands: Vec<MeterBand>,
}

impl MeterConfig {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        8 + self.bands.iter().map(MeterBand::encoded_len).sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut e = r.tlv(0, 8, "meter config", "at least 8")?;
        e.skip(2, "meter config length")?;
        let flags = e.u16("meter config flags")?;
        let meter_id = e.u32("meter config meter_id")?;
        let mut bands = Vec::new();
        while !e.is_empty() {
            bands.push(MeterBand::read(&mut e)?);
        }
        Ok(MeterConfig {
            flags,
            meter_id,
            bands,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(len16(self.encoded_len(), "meter config")?);
        b.put_u16(self.flags);
        b.put_u32(self.meter_id);
        for band in &self.bands {
            band.write(b)?;
        }
        Ok(())
    }
}

/// The METER_FEATURES reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterFeatures {
    /// Largest meter id.
    pub max_meter: u32,
    /// Bitmap of supported `OFPMBT_*` band types.
    pub band_types: u32,
    /// `OFPMF_*` flags supported.
    pub capabilities: u32,
    /// Maximum bands per meter.
    pub max_bands: u8,
    /// Maximum color value.
    pub max_color: u8,
}

impl MeterFeatures {
    /// Encoded length.
    pub const LEN: usize = 16;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "meter features")?;
        let f = MeterFeatures {
            max_meter: r.u32("max_meter")?,
            band_types: r.u32("band_types")?,
            capabilities: r.u32("meter capabilities")?,
            max_bands: r.u8("max_bands")?,
            max_color: r.u8("max_color")?,
        };
        r.skip(2, "meter features pad")?;
        Ok(f)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.max_meter);
        b.put_u32(self.band_types);
        b.put_u32(self.capabilities);
        b.put_u8(self.max_bands);
        b.put_u8(self.max_color);
        b.put_u16(0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_stats_with_bands() {
        let m = MeterStats {
            meter_id: 1,
            flow_count: 8,
            packet_in_count: 16,
            byte_in_count: 32,
            duration_sec: 20,
            duration_nsec: 100,
            band_stats: vec![
                MeterBandStats {
                    packet_band_count: 1,
                    byte_band_count: 2,
                },
                MeterBandStats {
                    packet_band_count: 3,
                    byte_band_count: 4,
                },
            ],
        };
        let mut v = Vec::new();
        m.write(&mut v).unwrap();
        assert_eq!(v.len(), 0x48);
        assert_eq!(&v[..6], [0, 0, 0, 1, 0, 0x48]);
        assert_eq!(MeterStats::read(&mut Reader::new(&v)).unwrap(), m);
        v[5] = 0x44;
        assert!(matches!(
            MeterStats::read(&mut Reader::new(&v)),
            Err(Error::BadLength { length: 0x44, .. })
        ));
    }

    #[test]
    fn meter_config_and_features() {
        let c = MeterConfig {
            flags: 5,
            meter_id: 1,
            bands: vec![MeterBand::Drop {
                rate: 65536,
                burst_size: 1280,
            }],
        };
        let mut v = Vec::new();
        c.write(&mut v).unwrap();
        assert_eq!(&v[..8], [0, 24, 0, 5, 0, 0, 0, 1]);
        assert_eq!(MeterConfig::read(&mut Reader::new(&v)).unwrap(), c);
        let f = MeterFeatures {
            max_meter: 65536,
            band_types: 6,
            capabilities: 0xf,
            max_bands: 16,
            max_color: 2,
        };
        let mut v = Vec::new();
        f.write(&mut v).unwrap();
        assert_eq!(v.len(), MeterFeatures::LEN);
        assert_eq!(MeterFeatures::read(&mut Reader::new(&v)).unwrap(), f);
    }
}
