//! Serde helpers: MAC addresses as `"aa:bb:cc:dd:ee:ff"`, byte strings as
//! lowercase hex.

/// MAC address as a colon-separated lowercase string.
pub(crate) mod mac {
    use alloc::string::String;
    use core::fmt::Write;
    use macaddr::MacAddr6;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn serialize<S: Serializer>(m: &MacAddr6, s: S) -> Result<S::Ok, S::Error> {
        let b = m.as_bytes();
        let mut out = String::with_capacity(17);
        for (i, x) in b.iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            let _ = write!(out, "{x:02x}");
        }
        s.serialize_str(&out)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MacAddr6, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        let mut b = [0u8; 6];
        let mut n = 0;
        for part in s.split([':', '-']) {
            if n == 6 || part.len() != 2 {
                return Err(D::Error::custom(
                    "expected a MAC address like 00:11:22:33:44:55",
                ));
            }
            b[n] = u8::from_str_radix(part, 16).map_err(D::Error::custom)?;
            n += 1;
        }
        if n != 6 {
            return Err(D::Error::custom(
                "expected a MAC address like 00:11:22:33:44:55",
            ));
        }
        Ok(MacAddr6::from(b))
    }
}

/// `Vec<u8>` as a lowercase hex string.
pub(crate) mod hex {
    use alloc::string::String;
    use alloc::vec::Vec;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(v.len() * 2);
        for &b in v {
            out.push(DIGITS[usize::from(b >> 4)] as char);
            out.push(DIGITS[usize::from(b & 15)] as char);
        }
        s.serialize_str(&out)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        if s.len() % 2 != 0 {
            return Err(D::Error::custom("hex string of odd length"));
        }
        s.as_bytes()
            .chunks_exact(2)
            .map(|p| {
                let h = |c: u8| {
                    (c as char)
                        .to_digit(16)
                        .ok_or_else(|| D::Error::custom("invalid hex digit"))
                };
                Ok((h(p[0])? << 4 | h(p[1])?) as u8)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;
    use macaddr::MacAddr6;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "super::mac")]
        m: MacAddr6,
        #[serde(with = "super::hex")]
        h: Vec<u8>,
    }

    #[test]
    fn formats() {
        let t = T {
            m: MacAddr6::new(0, 0x16, 0x3e, 8, 0x71, 0xcf),
            h: alloc::vec![0, 0xab, 0x10],
        };
        let s = serde_json::to_string(&t).unwrap();
        assert_eq!(s, r#"{"m":"00:16:3e:08:71:cf","h":"00ab10"}"#);
        assert_eq!(serde_json::from_str::<T>(&s).unwrap(), t);
        assert!(serde_json::from_str::<T>(r#"{"m":"00:16:3e:08:71","h":""}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"m":"00:16:3e:08:71:cf:00","h":""}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"m":"00:16:3e:08:71:cf","h":"0"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"m":"00:16:3e:08:71:cf","h":"zz"}"#).is_err());
    }
}
