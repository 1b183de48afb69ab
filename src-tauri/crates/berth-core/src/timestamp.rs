//! A point in time as Berth's types carry it: a real time value, read and written as RFC 3339
//! text (`2026-12-02T08:15:00Z`) on the wire, so nobody parses strings again by hand.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp(OffsetDateTime::now_utc())
    }

    /// From seconds since 1970 (what engines and SDKs report); `None` out of range.
    pub fn from_unix(seconds: i64) -> Option<Timestamp> {
        OffsetDateTime::from_unix_timestamp(seconds).ok().map(Timestamp)
    }

    /// From seconds and nanoseconds since 1970.
    pub fn from_unix_nanos(seconds: i64, nanos: u32) -> Option<Timestamp> {
        let t = OffsetDateTime::from_unix_timestamp(seconds).ok()?;
        t.replace_nanosecond(nanos).ok().map(Timestamp)
    }

    pub fn parse(text: &str) -> Result<Timestamp, String> {
        OffsetDateTime::parse(text.trim(), &Rfc3339)
            .map(Timestamp)
            .map_err(|e| format!("“{}” is not a date and time (RFC 3339, e.g. 2026-12-31T00:00:00Z): {e}", text.trim()))
    }

    pub fn to_rfc3339(&self) -> String {
        self.0.format(&Rfc3339).unwrap_or_else(|_| self.0.to_string())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl ts_rs::TS for Timestamp {
    type WithoutGenerics = Timestamp;
    type OptionInnerType = Timestamp;
    fn name(_: &ts_rs::Config) -> String {
        "string".into()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "string".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_rfc3339_text_and_orders_by_time() {
        let a = Timestamp::parse("2026-12-02T08:15:00Z").unwrap();
        let b = Timestamp::parse("2026-12-02T09:15:00+01:00").unwrap();
        assert_eq!(a, b, "the same instant");
        let later = Timestamp::from_unix(a.0.unix_timestamp() + 1).unwrap();
        assert!(later > a);
        assert_eq!(serde_json::to_value(a).unwrap(), serde_json::json!("2026-12-02T08:15:00Z"));
        let back: Timestamp = serde_json::from_value(serde_json::json!("2026-12-02T08:15:00Z")).unwrap();
        assert_eq!(back, a);
        assert!(serde_json::from_value::<Timestamp>(serde_json::json!("yesterday")).is_err());
        assert!(Timestamp::parse("yesterday").unwrap_err().contains("RFC 3339"));
    }
}
