//! ERROR (type 1): every OpenFlow 1.3 error type and code by name,
//! experimenter errors, and the offending bytes kept.
//!
//! ```text
//! | type (2) | code (2) | data (at least 64 bytes of the failed request) |
//! experimenter: | 0xffff | exp_type (2) | experimenter (4) | data |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

macro_rules! error_codes {
    ($(
        $(#[doc = $tdoc:literal])*
        $kind:ident = $tnum:literal => $code:ident { $( $(#[doc = $cdoc:literal])* $cname:ident = $cnum:literal, )* }
    )*) => {
        $(
            $(#[doc = $tdoc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
            pub enum $code {
                $( $(#[doc = $cdoc])* $cname, )*
                /// A code this crate does not know.
                Unknown(u16),
            }

            impl $code {
                /// The code from its number.
                pub fn from_u16(v: u16) -> Self {
                    match v {
                        $( $cnum => $code::$cname, )*
                        other => $code::Unknown(other),
                    }
                }

                /// The code's number.
                pub fn to_u16(self) -> u16 {
                    match self {
                        $( $code::$cname => $cnum, )*
                        $code::Unknown(v) => v,
                    }
                }
            }
        )*

        /// An error type and its code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum ErrorKind {
            $( $(#[doc = $tdoc])* $kind($code), )*
            /// `OFPET_EXPERIMENTER` (0xffff).
            Experimenter {
                /// Experimenter-defined type.
                exp_type: u16,
                /// Experimenter id.
                experimenter: u32,
            },
            /// An error type this crate does not know.
            Unknown {
                /// Error type.
                err_type: u16,
                /// Error code.
                code: u16,
            },
        }

        impl ErrorKind {
            /// The error type number.
            pub fn err_type(&self) -> u16 {
                match self {
                    $( ErrorKind::$kind(_) => $tnum, )*
                    ErrorKind::Experimenter { .. } => 0xffff,
                    ErrorKind::Unknown { err_type, .. } => *err_type,
                }
            }

            /// The code number (the experimenter type for experimenter errors).
            pub fn code(&self) -> u16 {
                match self {
                    $( ErrorKind::$kind(c) => c.to_u16(), )*
                    ErrorKind::Experimenter { exp_type, .. } => *exp_type,
                    ErrorKind::Unknown { code, .. } => *code,
                }
            }

            /// The kind for an error type and code as on the wire (type
            /// 0xffff, experimenter, carries an experimenter id: this gives
            /// `Experimenter` with id 0; set it afterwards).
            pub fn from_type_code(err_type: u16, code: u16) -> ErrorKind {
                match err_type {
                    0xffff => ErrorKind::Experimenter { exp_type: code, experimenter: 0 },
                    $( $tnum => ErrorKind::$kind($code::from_u16(code)), )*
                    _ => ErrorKind::Unknown { err_type, code },
                }
            }
        }
    };
}

error_codes! {
    /// `OFPET_HELLO_FAILED`.
    HelloFailed = 0 => HelloFailedCode {
        /// No compatible version.
        Incompatible = 0,
        /// Permissions error.
        Eperm = 1,
    }
    /// `OFPET_BAD_REQUEST`.
    BadRequest = 1 => BadRequestCode {
        /// Version not supported.
        BadVersion = 0,
        /// Message type not supported.
        BadType = 1,
        /// Multipart type not supported.
        BadMultipart = 2,
        /// Experimenter id not supported.
        BadExperimenter = 3,
        /// Experimenter type not supported.
        BadExpType = 4,
        /// Permissions error.
        Eperm = 5,
        /// Wrong length for type.
        BadLen = 6,
        /// Buffer already used.
        BufferEmpty = 7,
        /// Buffer does not exist.
        BufferUnknown = 8,
        /// Bad table id.
        BadTableId = 9,
        /// Denied because the controller is a slave.
        IsSlave = 10,
        /// Invalid port.
        BadPort = 11,
        /// Invalid packet in packet-out.
        BadPacket = 12,
        /// Multipart request overflowed the buffer.
        MultipartBufferOverflow = 13,
    }
    /// `OFPET_BAD_ACTION`.
    BadAction = 2 => BadActionCode {
        /// Unknown action type.
        BadType = 0,
        /// Length problem in actions.
        BadLen = 1,
        /// Unknown experimenter id.
        BadExperimenter = 2,
        /// Unknown experimenter action type.
        BadExpType = 3,
        /// Problem validating output port.
        BadOutPort = 4,
        /// Bad action argument.
        BadArgument = 5,
        /// Permissions error.
        Eperm = 6,
        /// Can't handle this many actions.
        TooMany = 7,
        /// Problem validating output queue.
        BadQueue = 8,
        /// Invalid group id.
        BadOutGroup = 9,
        /// Action can't apply for this match.
        MatchInconsistent = 10,
        /// Action order is unsupported.
        UnsupportedOrder = 11,
        /// Unsupported tag/encap.
        BadTag = 12,
        /// Unsupported type in SET_FIELD.
        BadSetType = 13,
        /// Length problem in SET_FIELD.
        BadSetLen = 14,
        /// Bad argument in SET_FIELD.
        BadSetArgument = 15,
    }
    /// `OFPET_BAD_INSTRUCTION`.
    BadInstruction = 3 => BadInstructionCode {
        /// Unknown instruction.
        UnknownInst = 0,
        /// Switch or table does not support the instruction.
        UnsupInst = 1,
        /// Invalid table id.
        BadTableId = 2,
        /// Metadata value unsupported.
        UnsupMetadata = 3,
        /// Metadata mask unsupported.
        UnsupMetadataMask = 4,
        /// Unknown experimenter id.
        BadExperimenter = 5,
        /// Unknown experimenter instruction type.
        BadExpType = 6,
        /// Length problem.
        BadLen = 7,
        /// Permissions error.
        Eperm = 8,
    }
    /// `OFPET_BAD_MATCH`.
    BadMatch = 4 => BadMatchCode {
        /// Unsupported match type.
        BadType = 0,
        /// Length problem in match.
        BadLen = 1,
        /// Match uses an unsupported tag/encap.
        BadTag = 2,
        /// Unsupported datalink address mask.
        BadDlAddrMask = 3,
        /// Unsupported network address mask.
        BadNwAddrMask = 4,
        /// Unsupported wildcard combination.
        BadWildcards = 5,
        /// Unsupported field type.
        BadField = 6,
        /// Unsupported value in a match field.
        BadValue = 7,
        /// Unsupported mask.
        BadMask = 8,
        /// A prerequisite was not met.
        BadPrereq = 9,
        /// A field type was duplicated.
        DupField = 10,
        /// Permissions error.
        Eperm = 11,
    }
    /// `OFPET_FLOW_MOD_FAILED`.
    FlowModFailed = 5 => FlowModFailedCode {
        /// Unspecified error.
        Unknown0 = 0,
        /// Table full.
        TableFull = 1,
        /// Table does not exist.
        BadTableId = 2,
        /// Overlapping flow with CHECK_OVERLAP.
        Overlap = 3,
        /// Permissions error.
        Eperm = 4,
        /// Unsupported idle/hard timeout.
        BadTimeout = 5,
        /// Unsupported or unknown command.
        BadCommand = 6,
        /// Unsupported or unknown flags.
        BadFlags = 7,
    }
    /// `OFPET_GROUP_MOD_FAILED`.
    GroupModFailed = 6 => GroupModFailedCode {
        /// Group already exists.
        GroupExists = 0,
        /// Invalid group.
        InvalidGroup = 1,
        /// Weight unsupported.
        WeightUnsupported = 2,
        /// Out of groups.
        OutOfGroups = 3,
        /// Out of buckets.
        OutOfBuckets = 4,
        /// Chaining unsupported.
        ChainingUnsupported = 5,
        /// Watch unsupported.
        WatchUnsupported = 6,
        /// Would loop.
        Loop = 7,
        /// Unknown group.
        UnknownGroup = 8,
        /// Group is chained.
        ChainedGroup = 9,
        /// Bad group type.
        BadType = 10,
        /// Bad command.
        BadCommand = 11,
        /// Bad bucket.
        BadBucket = 12,
        /// Bad watch port/group.
        BadWatch = 13,
        /// Permissions error.
        Eperm = 14,
    }
    /// `OFPET_PORT_MOD_FAILED`.
    PortModFailed = 7 => PortModFailedCode {
        /// No such port.
        BadPort = 0,
        /// Wrong hardware address.
        BadHwAddr = 1,
        /// Bad config.
        BadConfig = 2,
        /// Bad advertise.
        BadAdvertise = 3,
        /// Permissions error.
        Eperm = 4,
    }
    /// `OFPET_TABLE_MOD_FAILED`.
    TableModFailed = 8 => TableModFailedCode {
        /// No such table.
        BadTable = 0,
        /// Bad config.
        BadConfig = 1,
        /// Permissions error.
        Eperm = 2,
    }
    /// `OFPET_QUEUE_OP_FAILED`.
    QueueOpFailed = 9 => QueueOpFailedCode {
        /// Invalid port.
        BadPort = 0,
        /// Queue does not exist.
        BadQueue = 1,
        /// Permissions error.
        Eperm = 2,
    }
    /// `OFPET_SWITCH_CONFIG_FAILED`.
    SwitchConfigFailed = 10 => SwitchConfigFailedCode {
        /// Bad flags.
        BadFlags = 0,
        /// Bad length.
        BadLen = 1,
        /// Permissions error.
        Eperm = 2,
    }
    /// `OFPET_ROLE_REQUEST_FAILED`.
    RoleRequestFailed = 11 => RoleRequestFailedCode {
        /// Stale generation id.
        Stale = 0,
        /// Role change unsupported.
        Unsup = 1,
        /// Invalid role.
        BadRole = 2,
    }
    /// `OFPET_METER_MOD_FAILED`.
    MeterModFailed = 12 => MeterModFailedCode {
        /// Unspecified error.
        Unknown0 = 0,
        /// Meter exists.
        MeterExists = 1,
        /// Invalid meter.
        InvalidMeter = 2,
        /// Unknown meter.
        UnknownMeter = 3,
        /// Bad command.
        BadCommand = 4,
        /// Bad flags.
        BadFlags = 5,
        /// Bad rate.
        BadRate = 6,
        /// Bad burst.
        BadBurst = 7,
        /// Bad band.
        BadBand = 8,
        /// Bad band value.
        BadBandValue = 9,
        /// Out of meters.
        OutOfMeters = 10,
        /// Out of bands.
        OutOfBands = 11,
    }
    /// `OFPET_TABLE_FEATURES_FAILED`.
    TableFeaturesFailed = 13 => TableFeaturesFailedCode {
        /// Bad table.
        BadTable = 0,
        /// Bad metadata.
        BadMetadata = 1,
        /// Bad property type.
        BadType = 2,
        /// Bad length.
        BadLen = 3,
        /// Bad argument.
        BadArgument = 4,
        /// Permissions error.
        Eperm = 5,
    }
}

/// An ERROR message body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ErrorMsg {
    /// Type and code.
    pub kind: ErrorKind,
    /// The offending request's first bytes (or an ASCII string for HELLO_FAILED).
    pub data: Vec<u8>,
}

impl ErrorMsg {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        4 + self.data.len()
            + if matches!(self.kind, ErrorKind::Experimenter { .. }) {
                4
            } else {
                0
            }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<ErrorMsg, Error> {
        let err_type = r.u16("error type")?;
        let code = r.u16("error code")?;
        let kind = if err_type == 0xffff {
            ErrorKind::Experimenter {
                exp_type: code,
                experimenter: r.u32("error experimenter id")?,
            }
        } else {
            ErrorKind::from_type_code(err_type, code)
        };
        Ok(ErrorMsg {
            kind,
            data: r.rest().to_vec(),
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(self.kind.err_type());
        b.put_u16(self.kind.code());
        if let ErrorKind::Experimenter { experimenter, .. } = self.kind {
            b.put_u32(experimenter);
        }
        b.put_slice(&self.data);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_by_name() {
        let k = ErrorKind::from_type_code(4, 9);
        assert_eq!(k, ErrorKind::BadMatch(BadMatchCode::BadPrereq));
        assert_eq!((k.err_type(), k.code()), (4, 9));
        let k = ErrorKind::from_type_code(2, 99);
        assert_eq!(k, ErrorKind::BadAction(BadActionCode::Unknown(99)));
        assert_eq!(k.code(), 99);
        let k = ErrorKind::from_type_code(77, 1);
        assert_eq!(k.err_type(), 77);
    }

    #[test]
    fn error_bodies() {
        let bytes = [0, 1, 0, 6, 4, 14, 0, 8];
        let e = ErrorMsg::read(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(e.kind, ErrorKind::BadRequest(BadRequestCode::BadLen));
        assert_eq!(e.data, [4, 14, 0, 8]);
        let mut out = Vec::new();
        e.write(&mut out).unwrap();
        assert_eq!(out, bytes);
        let bytes = [0xff, 0xff, 0, 3, 0, 0, 0x23, 0x20, 1];
        let e = ErrorMsg::read(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(
            e.kind,
            ErrorKind::Experimenter {
                exp_type: 3,
                experimenter: 0x2320
            }
        );
        assert_eq!(e.encoded_len(), bytes.len());
        assert!(ErrorMsg::read(&mut Reader::new(&[0xff, 0xff, 0, 3, 0])).is_err());
    }
}
