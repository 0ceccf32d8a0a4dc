//! OFPMP_TABLE_FEATURES (12): one `ofp_table_features` per table, each with
//! a list of properties (request and reply share the layout).
//!
//! ```text
//! | length (2) | table_id (1) | pad (5) | name (32) | metadata_match (8)
//! | metadata_write (8) | config (4) | max_entries (4) | properties ... |
//! property: | type (2) | length (2) | body | zero pad to 8 |   length excludes the pad
//!   INSTRUCTIONS (0), _MISS (1):          instruction ids | type (2) | len (2) | [data] |
//!   NEXT_TABLES (2), _MISS (3):           table ids (1 each)
//!   WRITE_ACTIONS (4), _MISS (5),
//!   APPLY_ACTIONS (6), _MISS (7):          action ids | type (2) | len (2) | [data] |
//!   MATCH (8), WILDCARDS (10),
//!   WRITE_SETFIELD (12), _MISS (13),
//!   APPLY_SETFIELD (14), _MISS (15):       OXM headers (4, or 8 for class 0xffff)
//!   EXPERIMENTER (0xfffe), _MISS (0xffff): | experimenter (4) | exp_type (4) | data |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, impl_codec, len16, pad8};
use crate::oxm::{OFPXMC_EXPERIMENTER, OxmHeader};

/// An instruction or action id of a table feature property: the type, and
/// what follows the 4-byte type/length header (the experimenter id of an
/// experimenter id; the 4 pad bytes when a peer sends the 8-byte
/// `ofp_action_header` form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ItemId {
    /// `OFPIT_*` / `OFPAT_*` type.
    pub item_type: u16,
    /// Bytes after the 4-byte header.
    pub data: Vec<u8>,
}

impl ItemId {
    /// The id of `item_type` in its usual 4-byte form.
    pub fn new(item_type: u16) -> ItemId {
        ItemId {
            item_type,
            data: Vec::new(),
        }
    }

    fn encoded_len(&self) -> usize {
        4 + self.data.len()
    }
}

/// An OXM field id of a table feature property: the header, and the
/// experimenter id that follows it when the class is 0xffff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OxmId {
    /// The OXM header.
    pub header: OxmHeader,
    /// Experimenter id (`Some` exactly for class 0xffff).
    pub experimenter: Option<u32>,
}

impl OxmId {
    /// The id of a non-experimenter field.
    pub fn new(header: OxmHeader) -> OxmId {
        OxmId {
            header,
            experimenter: None,
        }
    }

    fn encoded_len(&self) -> usize {
        if self.experimenter.is_some() { 8 } else { 4 }
    }
}

/// One table feature property.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TableFeatureProp {
    /// INSTRUCTIONS (0) or INSTRUCTIONS_MISS (1).
    Instructions {
        /// The `_MISS` variant (applies to the table-miss entry).
        miss: bool,
        /// Supported instructions.
        ids: Vec<ItemId>,
    },
    /// NEXT_TABLES (2) or NEXT_TABLES_MISS (3).
    NextTables {
        /// The `_MISS` variant.
        miss: bool,
        /// Tables reachable with GOTO_TABLE.
        tables: Vec<u8>,
    },
    /// WRITE_ACTIONS (4) or WRITE_ACTIONS_MISS (5).
    WriteActions {
        /// The `_MISS` variant.
        miss: bool,
        /// Supported actions.
        ids: Vec<ItemId>,
    },
    /// APPLY_ACTIONS (6) or APPLY_ACTIONS_MISS (7).
    ApplyActions {
        /// The `_MISS` variant.
        miss: bool,
        /// Supported actions.
        ids: Vec<ItemId>,
    },
    /// MATCH (8): fields the table can match on.
    Match(Vec<OxmId>),
    /// WILDCARDS (10): fields that may be wildcarded.
    Wildcards(Vec<OxmId>),
    /// WRITE_SETFIELD (12) or WRITE_SETFIELD_MISS (13).
    WriteSetfield {
        /// The `_MISS` variant.
        miss: bool,
        /// Settable fields.
        fields: Vec<OxmId>,
    },
    /// APPLY_SETFIELD (14) or APPLY_SETFIELD_MISS (15).
    ApplySetfield {
        /// The `_MISS` variant.
        miss: bool,
        /// Settable fields.
        fields: Vec<OxmId>,
    },
    /// EXPERIMENTER (0xfffe) or EXPERIMENTER_MISS (0xffff).
    Experimenter {
        /// The `_MISS` variant.
        miss: bool,
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter type.
        exp_type: u32,
        /// The rest of the property (padding excluded).
        data: Vec<u8>,
    },
    /// A property type this crate does not know, kept raw.
    Unknown {
        /// Property type.
        prop_type: u16,
        /// Bytes after the 4-byte header (padding excluded).
        data: Vec<u8>,
    },
}

fn ids_len(ids: &[ItemId]) -> usize {
    ids.iter().map(ItemId::encoded_len).sum()
}

fn oxm_ids_len(ids: &[OxmId]) -> usize {
    ids.iter().map(OxmId::encoded_len).sum()
}

fn read_item_ids(p: &mut Reader<'_>) -> Result<Vec<ItemId>, Error> {
    let mut out = Vec::new();
    while !p.is_empty() {
        let mut i = p.tlv(2, 4, "instruction/action id", "at least 4")?;
        let item_type = i.u16("id type")?;
        i.skip(2, "id length")?;
        out.push(ItemId {
            item_type,
            data: i.rest().to_vec(),
        });
    }
    Ok(out)
}

fn read_oxm_ids(p: &mut Reader<'_>) -> Result<Vec<OxmId>, Error> {
    let mut out = Vec::new();
    while !p.is_empty() {
        let header = OxmHeader::from_u32(p.u32("OXM id")?);
        let experimenter = if header.class == OFPXMC_EXPERIMENTER {
            Some(p.u32("OXM id experimenter")?)
        } else {
            None
        };
        out.push(OxmId {
            header,
            experimenter,
        });
    }
    Ok(out)
}

fn write_item_ids<B: BufMut>(ids: &[ItemId], b: &mut B) -> Result<(), Error> {
    for i in ids {
        b.put_u16(i.item_type);
        b.put_u16(len16(i.encoded_len(), "instruction/action id")?);
        b.put_slice(&i.data);
    }
    Ok(())
}

fn write_oxm_ids<B: BufMut>(ids: &[OxmId], b: &mut B) -> Result<(), Error> {
    for i in ids {
        if (i.header.class == OFPXMC_EXPERIMENTER) != i.experimenter.is_some() {
            return Err(Error::OutOfRange {
                field: "OXM id experimenter (Some exactly for class 0xffff)",
                value: i.header.class.into(),
                max: 0xfffe,
            });
        }
        b.put_u32(i.header.to_u32());
        if let Some(e) = i.experimenter {
            b.put_u32(e);
        }
    }
    Ok(())
}

impl TableFeatureProp {
    /// The property type on the wire.
    pub fn prop_type(&self) -> u16 {
        use TableFeatureProp::*;
        match self {
            Instructions { miss, .. } => u16::from(*miss),
            NextTables { miss, .. } => 2 + u16::from(*miss),
            WriteActions { miss, .. } => 4 + u16::from(*miss),
            ApplyActions { miss, .. } => 6 + u16::from(*miss),
            Match(_) => 8,
            Wildcards(_) => 10,
            WriteSetfield { miss, .. } => 12 + u16::from(*miss),
            ApplySetfield { miss, .. } => 14 + u16::from(*miss),
            Experimenter { miss, .. } => 0xfffe + u16::from(*miss),
            Unknown { prop_type, .. } => *prop_type,
        }
    }

    /// The property's length field (header and body, no padding).
    pub fn length(&self) -> usize {
        use TableFeatureProp::*;
        4 + match self {
            Instructions { ids, .. } | WriteActions { ids, .. } | ApplyActions { ids, .. } => {
                ids_len(ids)
            }
            NextTables { tables, .. } => tables.len(),
            Match(f) | Wildcards(f) | WriteSetfield { fields: f, .. } => oxm_ids_len(f),
            ApplySetfield { fields, .. } => oxm_ids_len(fields),
            Experimenter { data, .. } => 8 + data.len(),
            Unknown { data, .. } => data.len(),
        }
    }

    /// Encoded length, padding included.
    pub fn encoded_len(&self) -> usize {
        pad8(self.length())
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        use TableFeatureProp::*;
        let offset = r.offset();
        let mut p = r.tlv(2, 4, "table feature property", "at least 4")?;
        let len = p.remaining();
        let prop_type = p.u16("table feature property type")?;
        p.skip(2, "table feature property length")?;
        let miss = prop_type & 1 == 1;
        let prop = match prop_type {
            0 | 1 => Instructions {
                miss,
                ids: read_item_ids(&mut p)?,
            },
            2 | 3 => NextTables {
                miss,
                tables: p.rest().to_vec(),
            },
            4 | 5 => WriteActions {
                miss,
                ids: read_item_ids(&mut p)?,
            },
            6 | 7 => ApplyActions {
                miss,
                ids: read_item_ids(&mut p)?,
            },
            8 => Match(read_oxm_ids(&mut p)?),
            10 => Wildcards(read_oxm_ids(&mut p)?),
            12 | 13 => WriteSetfield {
                miss,
                fields: read_oxm_ids(&mut p)?,
            },
            14 | 15 => ApplySetfield {
                miss,
                fields: read_oxm_ids(&mut p)?,
            },
            0xfffe | 0xffff => {
                if len < 12 {
                    return Err(Error::BadLength {
                        what: "experimenter table feature property",
                        offset,
                        length: len,
                        expected: "at least 12",
                    });
                }
                Experimenter {
                    miss,
                    experimenter: p.u32("property experimenter")?,
                    exp_type: p.u32("property exp_type")?,
                    data: p.rest().to_vec(),
                }
            }
            _ => Unknown {
                prop_type,
                data: p.rest().to_vec(),
            },
        };
        r.skip(pad8(len) - len, "table feature property padding")?;
        Ok(prop)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        use TableFeatureProp::*;
        let len = self.length();
        b.put_u16(self.prop_type());
        b.put_u16(len16(len, "table feature property")?);
        match self {
            Instructions { ids, .. } | WriteActions { ids, .. } | ApplyActions { ids, .. } => {
                write_item_ids(ids, b)?
            }
            NextTables { tables, .. } => b.put_slice(tables),
            Match(f) | Wildcards(f) | WriteSetfield { fields: f, .. } => write_oxm_ids(f, b)?,
            ApplySetfield { fields, .. } => write_oxm_ids(fields, b)?,
            Experimenter {
                experimenter,
                exp_type,
                data,
                ..
            } => {
                b.put_u32(*experimenter);
                b.put_u32(*exp_type);
                b.put_slice(data);
            }
            Unknown { data, .. } => b.put_slice(data),
        }
        b.put_bytes(0, pad8(len) - len);
        Ok(())
    }
}

/// The features of one table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TableFeatures {
    /// Table id.
    pub table_id: u8,
    /// Name, NUL-padded.
    pub name: [u8; 32],
    /// Metadata bits the table can match.
    pub metadata_match: u64,
    /// Metadata bits the table can write.
    pub metadata_write: u64,
    /// `OFPTC_*` config bits.
    pub config: u32,
    /// Maximum number of entries.
    pub max_entries: u32,
    /// The properties, in wire order.
    pub properties: Vec<TableFeatureProp>,
}

impl_codec!(TableFeatures, "table features");

impl TableFeatures {
    /// The name up to its first NUL, if it is UTF-8.
    pub fn name_str(&self) -> Option<&str> {
        let end = self.name.iter().position(|b| *b == 0).unwrap_or(32);
        core::str::from_utf8(&self.name[..end]).ok()
    }

    /// `name` as a NUL-padded field (at most 31 bytes are kept).
    pub fn name_field(name: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        let n = name.len().min(31);
        out[..n].copy_from_slice(&name.as_bytes()[..n]);
        out
    }

    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        64 + self
            .properties
            .iter()
            .map(TableFeatureProp::encoded_len)
            .sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut e = r.tlv(0, 64, "table features", "at least 64")?;
        e.skip(2, "table features length")?;
        let table_id = e.u8("table features table_id")?;
        e.skip(5, "table features pad")?;
        let mut t = TableFeatures {
            table_id,
            name: e.array("table name")?,
            metadata_match: e.u64("metadata_match")?,
            metadata_write: e.u64("metadata_write")?,
            config: e.u32("table config")?,
            max_entries: e.u32("max_entries")?,
            properties: Vec::new(),
        };
        while !e.is_empty() {
            t.properties.push(TableFeatureProp::read(&mut e)?);
        }
        Ok(t)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(len16(self.encoded_len(), "table features")?);
        b.put_u8(self.table_id);
        b.put_bytes(0, 5);
        b.put_slice(&self.name);
        b.put_u64(self.metadata_match);
        b.put_u64(self.metadata_write);
        b.put_u32(self.config);
        b.put_u32(self.max_entries);
        for p in &self.properties {
            p.write(b)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_from_spec_layout() {
        for (p, bytes) in [
            (
                TableFeatureProp::Instructions {
                    miss: false,
                    ids: vec![ItemId::new(1), ItemId::new(4)],
                },
                vec![0, 0, 0, 12, 0, 1, 0, 4, 0, 4, 0, 4, 0, 0, 0, 0],
            ),
            (
                TableFeatureProp::NextTables {
                    miss: true,
                    tables: vec![1, 2, 3],
                },
                vec![0, 3, 0, 7, 1, 2, 3, 0],
            ),
            (
                TableFeatureProp::ApplyActions {
                    miss: false,
                    ids: vec![ItemId {
                        item_type: 0,
                        data: vec![0; 4],
                    }],
                },
                vec![0, 6, 0, 12, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                TableFeatureProp::Match(vec![
                    OxmId::new(OxmHeader::from_u32(0x8000_0004)),
                    OxmId {
                        header: OxmHeader::from_u32(0xffff_0408),
                        experimenter: Some(0x4f4e_4600),
                    },
                ]),
                vec![
                    0, 8, 0, 16, 0x80, 0, 0, 4, 0xff, 0xff, 4, 8, 0x4f, 0x4e, 0x46, 0,
                ],
            ),
            (
                TableFeatureProp::Experimenter {
                    miss: true,
                    experimenter: 0x2320,
                    exp_type: 7,
                    data: vec![9],
                },
                vec![0xff, 0xff, 0, 13, 0, 0, 0x23, 0x20, 0, 0, 0, 7, 9, 0, 0, 0],
            ),
            (
                TableFeatureProp::Unknown {
                    prop_type: 9,
                    data: vec![1, 2],
                },
                vec![0, 9, 0, 6, 1, 2, 0, 0],
            ),
        ] {
            let mut v = Vec::new();
            p.write(&mut v).unwrap();
            assert_eq!(v, bytes, "{p:?}");
            assert_eq!(p.encoded_len(), bytes.len());
            assert_eq!(TableFeatureProp::read(&mut Reader::new(&bytes)).unwrap(), p);
        }
    }

    #[test]
    fn table_features_and_errors() {
        let t = TableFeatures {
            table_id: 0,
            name: TableFeatures::name_field("table0"),
            metadata_match: u64::MAX,
            metadata_write: u64::MAX,
            config: 0,
            max_entries: 1_000_000,
            properties: vec![TableFeatureProp::NextTables {
                miss: false,
                tables: (1..=253).collect(),
            }],
        };
        let mut v = Vec::new();
        t.write(&mut v).unwrap();
        assert_eq!(v.len(), 64 + 264);
        assert_eq!(t.name_str(), Some("table0"));
        assert_eq!(TableFeatures::read(&mut Reader::new(&v)).unwrap(), t);
        // Missing property padding.
        assert!(TableFeatureProp::read(&mut Reader::new(&[0, 2, 0, 5, 1])).is_err());
        // A zero-length id cannot advance.
        assert!(matches!(
            TableFeatureProp::read(&mut Reader::new(&[0, 0, 0, 8, 0, 1, 0, 0])),
            Err(Error::BadLength { length: 0, .. })
        ));
        // OXM ids must be whole.
        assert!(TableFeatureProp::read(&mut Reader::new(&[0, 8, 0, 6, 0, 1, 0, 0])).is_err());
        let bad = TableFeatureProp::Match(vec![OxmId::new(OxmHeader::from_u32(0xffff_0004))]);
        assert!(bad.write(&mut Vec::new()).is_err());
    }
}
