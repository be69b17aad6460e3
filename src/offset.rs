//! Offsets relative to a ship date: `T`, `T-4w`, `T+2d`, `T-10b`, `T+15m`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The unit of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OffsetUnit {
    /// Minutes (`m`).
    Minutes,
    /// Hours (`h`).
    Hours,
    /// Calendar days (`d`).
    Days,
    /// Weeks (`w`).
    Weeks,
    /// Business days (`b`): weekends, holidays and freeze windows are skipped.
    BusinessDays,
    /// Calendar months (`mo`): the day is clamped to the month's end.
    Months,
    /// Calendar years (`y`): Feb 29 becomes Feb 28 in other years.
    Years,
}

impl OffsetUnit {
    /// The largest amount of this unit an offset may have: about ten years,
    /// so a typo (`T+99999w`) is an error rather than a calendar spanning
    /// millennia.
    pub fn max_amount(self) -> i64 {
        match self {
            OffsetUnit::Minutes => 999_999,
            OffsetUnit::Hours => 87_840,
            OffsetUnit::Days => 3_660,
            OffsetUnit::Weeks => 522,
            OffsetUnit::BusinessDays => 2_610,
            OffsetUnit::Months => 120,
            OffsetUnit::Years => 10,
        }
    }
}

/// A signed distance from the ship date ("T").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Offset {
    /// Signed amount.
    pub amount: i64,
    /// Unit of `amount`.
    pub unit: OffsetUnit,
}

/// Why an offset could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not an offset like `T`, `T-2w`, `T+3d`, `T-10b`, `T+4h`, `T+15m`, `T+14mo` or `T+1y` (at most about ten years)"
)]
pub struct OffsetError {
    /// The text given.
    pub text: String,
}

impl Offset {
    /// The ship date itself.
    pub const ZERO: Offset = Offset {
        amount: 0,
        unit: OffsetUnit::Days,
    };

    /// `n` calendar days.
    pub const fn days(n: i64) -> Self {
        Self {
            amount: n,
            unit: OffsetUnit::Days,
        }
    }

    /// `n` weeks.
    pub const fn weeks(n: i64) -> Self {
        Self {
            amount: n,
            unit: OffsetUnit::Weeks,
        }
    }

    /// `n` hours.
    pub const fn hours(n: i64) -> Self {
        Self {
            amount: n,
            unit: OffsetUnit::Hours,
        }
    }

    /// `n` minutes.
    pub const fn minutes(n: i64) -> Self {
        Self {
            amount: n,
            unit: OffsetUnit::Minutes,
        }
    }

    /// True for minute and hour offsets, which always give a timed moment.
    pub fn is_clock(&self) -> bool {
        matches!(self.unit, OffsetUnit::Minutes | OffsetUnit::Hours)
    }

    /// Reads `T`, `T+N<u>` or `T-N<u>` (u in m h d w b mo y).
    pub fn parse(text: &str) -> Result<Self, OffsetError> {
        let err = || OffsetError {
            text: text.to_string(),
        };
        let rest = text.trim().strip_prefix('T').ok_or_else(err)?;
        if rest.is_empty() {
            return Ok(Self::ZERO);
        }
        let (sign, rest) = match rest.as_bytes()[0] {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ => return Err(err()),
        };
        let (digits, unit) = if let Some(d) = rest.strip_suffix("mo") {
            (d, OffsetUnit::Months)
        } else {
            let unit = match rest.chars().last().ok_or_else(err)? {
                'm' => OffsetUnit::Minutes,
                'h' => OffsetUnit::Hours,
                'd' => OffsetUnit::Days,
                'w' => OffsetUnit::Weeks,
                'b' => OffsetUnit::BusinessDays,
                'y' => OffsetUnit::Years,
                _ => return Err(err()),
            };
            (&rest[..rest.len() - 1], unit)
        };
        if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let amount: i64 = digits.parse().map_err(|_| err())?;
        if amount > unit.max_amount() {
            return Err(err());
        }
        Ok(Self {
            amount: sign * amount,
            unit,
        })
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the ship date itself is bare `T`: `T+0h` of an all-day date is 09:00, not all day.
        if *self == Self::ZERO {
            return f.write_str("T");
        }
        let unit = match self.unit {
            OffsetUnit::Minutes => "m",
            OffsetUnit::Hours => "h",
            OffsetUnit::Days => "d",
            OffsetUnit::Weeks => "w",
            OffsetUnit::BusinessDays => "b",
            OffsetUnit::Months => "mo",
            OffsetUnit::Years => "y",
        };
        let sign = if self.amount < 0 { '-' } else { '+' };
        write!(f, "T{sign}{}{unit}", self.amount.abs())
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Offset::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Offset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit_and_sign() {
        assert_eq!(Offset::parse("T").unwrap(), Offset::ZERO);
        assert_eq!(Offset::parse("T-4w").unwrap(), Offset::weeks(-4));
        assert_eq!(Offset::parse("T+2d").unwrap(), Offset::days(2));
        assert_eq!(Offset::parse("T-2h").unwrap(), Offset::hours(-2));
        assert_eq!(Offset::parse("T+15m").unwrap(), Offset::minutes(15));
        assert_eq!(
            Offset::parse("T-10b").unwrap().unit,
            OffsetUnit::BusinessDays
        );
    }

    #[test]
    fn rejects_malformed_offsets_without_panicking() {
        for bad in [
            "",
            "T+",
            "T-w",
            "T2d",
            "T+2x",
            "t+2d",
            "T+-2d",
            "T+2.5d",
            "T+9999999d",
            "T+２d",
            "T+é",
        ] {
            assert!(Offset::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_back_to_the_same_text() {
        for text in [
            "T", "T-4w", "T+2d", "T-10b", "T+15m", "T-24h", "T+0h", "T+14mo", "T-1y",
        ] {
            assert_eq!(Offset::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn months_and_years_parse_apart_from_minutes() {
        let mo = Offset::parse("T+14mo").unwrap();
        assert_eq!((mo.amount, mo.unit), (14, OffsetUnit::Months));
        assert_eq!(Offset::parse("T-14m").unwrap(), Offset::minutes(-14));
        assert_eq!(Offset::parse("T+2y").unwrap().unit, OffsetUnit::Years);
        assert!(Offset::parse("T+121mo").is_err());
        assert!(Offset::parse("T+mo").is_err());
    }

    #[test]
    fn offsets_beyond_ten_years_are_typos() {
        assert!(Offset::parse("T+522w").is_ok());
        assert!(Offset::parse("T+523w").is_err());
        assert!(Offset::parse("T-999999d").is_err());
        assert!(Offset::parse("T-999999m").is_ok());
    }
}
