//! Time as the embedder gives it: milliseconds since an arbitrary epoch.

use core::fmt;
use core::ops::Add;
use core::time::Duration;

/// A point in time, in milliseconds since an epoch the embedder chooses
/// (boot, the start of a replay, the Unix epoch). The RIB never reads a
/// clock: every input carries one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// The epoch.
    pub const ZERO: Timestamp = Timestamp(0);

    /// A time `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Timestamp(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// The time elapsed since `earlier`, zero if `earlier` is later.
    pub fn saturating_since(self, earlier: Timestamp) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

/// Adds a duration, rounded down to milliseconds and saturating at the end
/// of time.
impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, rhs: Duration) -> Timestamp {
        let ms = u64::try_from(rhs.as_millis()).unwrap_or(u64::MAX);
        Timestamp(self.0.saturating_add(ms))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_saturates_and_rounds_down() {
        assert_eq!(Timestamp(5) + Duration::from_micros(2_999), Timestamp(7));
        assert_eq!(
            Timestamp(u64::MAX - 1) + Duration::from_secs(1),
            Timestamp(u64::MAX)
        );
        assert_eq!(
            Timestamp(10).saturating_since(Timestamp(4)),
            Duration::from_millis(6)
        );
        assert_eq!(Timestamp(4).saturating_since(Timestamp(10)), Duration::ZERO);
        assert_eq!(Timestamp(3).to_string(), "3ms");
    }
}
