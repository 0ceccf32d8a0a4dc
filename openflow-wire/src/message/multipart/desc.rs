//! OFPMP_DESC (0) reply: the switch's description strings.
//!
//! ```text
//! | mfr_desc (256) | hw_desc (256) | sw_desc (256) | serial_num (32) | dp_desc (256) |
//! ```
//! Every field is NUL-padded text.

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// The switch description (`ofp_desc`). Each field holds the bytes of its
/// fixed-size wire field up to the trailing NUL padding (bytes after an
/// embedded NUL are kept, so the encoding is byte-identical).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Desc {
    /// Manufacturer (at most 256 bytes).
    pub mfr_desc: Vec<u8>,
    /// Hardware (at most 256 bytes).
    pub hw_desc: Vec<u8>,
    /// Software (at most 256 bytes).
    pub sw_desc: Vec<u8>,
    /// Serial number (at most 32 bytes).
    pub serial_num: Vec<u8>,
    /// Datapath description (at most 256 bytes).
    pub dp_desc: Vec<u8>,
}

const DESC_STR_LEN: usize = 256;
const SERIAL_NUM_LEN: usize = 32;

fn read_str(r: &mut Reader<'_>, n: usize, what: &'static str) -> Result<Vec<u8>, Error> {
    let b = r.bytes(n, what)?;
    let end = b.iter().rposition(|c| *c != 0).map_or(0, |p| p + 1);
    Ok(b[..end].to_vec())
}

fn write_str<B: BufMut>(b: &mut B, s: &[u8], n: usize, field: &'static str) -> Result<(), Error> {
    if s.len() > n {
        return Err(Error::TooLarge {
            what: field,
            len: s.len(),
            max: n,
        });
    }
    b.put_slice(s);
    b.put_bytes(0, n - s.len());
    Ok(())
}

impl Desc {
    /// Encoded length.
    pub const LEN: usize = 4 * DESC_STR_LEN + SERIAL_NUM_LEN;

    /// `field` up to its first NUL, if it is UTF-8.
    pub fn text(field: &[u8]) -> Option<&str> {
        let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
        core::str::from_utf8(&field[..end]).ok()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "ofp_desc")?;
        Ok(Desc {
            mfr_desc: read_str(r, DESC_STR_LEN, "mfr_desc")?,
            hw_desc: read_str(r, DESC_STR_LEN, "hw_desc")?,
            sw_desc: read_str(r, DESC_STR_LEN, "sw_desc")?,
            serial_num: read_str(r, SERIAL_NUM_LEN, "serial_num")?,
            dp_desc: read_str(r, DESC_STR_LEN, "dp_desc")?,
        })
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        for (s, n, f) in [
            (&self.mfr_desc, DESC_STR_LEN, "mfr_desc"),
            (&self.hw_desc, DESC_STR_LEN, "hw_desc"),
            (&self.sw_desc, DESC_STR_LEN, "sw_desc"),
            (&self.serial_num, SERIAL_NUM_LEN, "serial_num"),
            (&self.dp_desc, DESC_STR_LEN, "dp_desc"),
        ] {
            if s.len() > n {
                return Err(Error::TooLarge {
                    what: f,
                    len: s.len(),
                    max: n,
                });
            }
        }
        Ok(())
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        write_str(b, &self.mfr_desc, DESC_STR_LEN, "mfr_desc")?;
        write_str(b, &self.hw_desc, DESC_STR_LEN, "hw_desc")?;
        write_str(b, &self.sw_desc, DESC_STR_LEN, "sw_desc")?;
        write_str(b, &self.serial_num, SERIAL_NUM_LEN, "serial_num")?;
        write_str(b, &self.dp_desc, DESC_STR_LEN, "dp_desc")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desc_trims_nul_padding_only() {
        let d = Desc {
            mfr_desc: b"Nicira, Inc.".to_vec(),
            hw_desc: b"Open vSwitch".to_vec(),
            sw_desc: b"3.1.0".to_vec(),
            serial_num: b"a\0b".to_vec(),
            dp_desc: vec![b'x'; 256],
        };
        let mut v = Vec::new();
        d.write(&mut v).unwrap();
        assert_eq!(v.len(), Desc::LEN);
        assert_eq!(&v[..12], b"Nicira, Inc.");
        assert_eq!(Desc::read(&mut Reader::new(&v)).unwrap(), d);
        assert_eq!(Desc::text(&d.serial_num), Some("a"));
        let long = Desc {
            serial_num: vec![1; 33],
            ..Desc::default()
        };
        assert!(matches!(long.check(), Err(Error::TooLarge { max: 32, .. })));
        assert!(matches!(
            Desc::read(&mut Reader::new(&v[..100])),
            Err(Error::Truncated { .. })
        ));
    }
}
