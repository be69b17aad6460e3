//! The build's "now": `--now`, else `SOURCE_DATE_EPOCH`, else the clock.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Why a "now" value could not be read.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a date or time (use 2026-11-23, 2026-11-23T09:00 or 2026-11-23T09:00:00Z)")]
pub struct NowError(pub String);

/// Reads `--now`: a date, a UTC date-time, or RFC 3339.
///
/// A date alone is noon UTC: the same calendar day in every time zone from
/// UTC−11 to UTC+11, so `--now 2026-11-23` means "the 23rd" for a site in
/// New York as well as one in Berlin.
pub fn parse(text: &str) -> Result<DateTime<Utc>, NowError> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(12, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or_default());
    }
    Err(NowError(text.to_string()))
}

/// Resolves "now" from the flag, the environment, then the clock.
pub fn resolve(flag: Option<&str>) -> Result<DateTime<Utc>, NowError> {
    if let Some(text) = flag {
        return parse(text);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or(NowError(format!("SOURCE_DATE_EPOCH={epoch}")));
    }
    Ok(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_and_times() {
        assert_eq!(
            parse("2026-11-23").unwrap().to_rfc3339(),
            "2026-11-23T12:00:00+00:00"
        );
        assert_eq!(
            parse("2026-11-23T09:30").unwrap().to_rfc3339(),
            "2026-11-23T09:30:00+00:00"
        );
        assert_eq!(
            parse("2026-11-23T09:30:00+01:00").unwrap().to_rfc3339(),
            "2026-11-23T08:30:00+00:00"
        );
        assert!(parse("tomorrow").is_err());
    }
}
