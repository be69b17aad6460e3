//! RFC 5545 iCalendar writer for the published feeds (SPEC §4.1).
//!
//! Output is CRLF-terminated, folded at 75 octets without splitting UTF-8
//! characters, TEXT-escaped, UTC-only (no `TZID`, no `VTIMEZONE`) and
//! deterministic: the same input always gives the same bytes.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike as _, NaiveDate, Timelike as _, Utc};

/// Longest physical line in octets, excluding the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// When an event starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventTime {
    /// An all-day date, written as `;VALUE=DATE:YYYYMMDD`.
    Date(NaiveDate),
    /// An instant, written in UTC as `YYYYMMDDTHHMMSSZ` (sub-seconds dropped).
    Utc(DateTime<Utc>),
}

/// One VEVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique, build-stable identifier (`UID`).
    pub uid: String,
    /// One-line title (`SUMMARY`).
    pub summary: String,
    /// Free text (`DESCRIPTION`); omitted when empty.
    pub description: String,
    /// Link to the event's page (`URL`); omitted when `None` or empty.
    pub url: Option<String>,
    /// Categories (`CATEGORIES`); empty items are skipped, omitted when none remain.
    pub categories: Vec<String>,
    /// Start (`DTSTART`).
    pub start: EventTime,
    /// Exclusive end (`DTEND`); for Date events the day after the last day (see [`write_calendar`] for invalid ends).
    pub end: EventTime,
    /// Scheduling status (`STATUS`).
    pub status: IcsStatus,
    /// When this event's data was produced (`DTSTAMP`).
    pub dtstamp: DateTime<Utc>,
    /// When this event last changed (`LAST-MODIFIED`).
    pub last_modified: DateTime<Utc>,
    /// Revision counter (`SEQUENCE`).
    pub sequence: u32,
}

/// Event status (`STATUS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IcsStatus {
    /// `STATUS:TENTATIVE` (planned).
    Tentative,
    /// `STATUS:CONFIRMED`.
    Confirmed,
    /// `STATUS:CANCELLED`; subscribed clients remove the event.
    Cancelled,
}

/// One VCALENDAR feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsCalendar {
    /// Feed name (`NAME` and `X-WR-CALNAME`).
    pub name: String,
    /// Feed description (`DESCRIPTION` and `X-WR-CALDESC`); omitted when `None` or empty.
    pub description: Option<String>,
    /// Product identifier (`PRODID`), e.g. `-//shipdate//shipdate 0.1//EN`.
    pub prodid: String,
    /// Suggested refresh interval in hours (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`); 0 is written as 1.
    pub refresh_hours: u32,
}

/// Writes a full VCALENDAR document to `out` (String).
///
/// Events are written in the given order. A `DTEND` that is not later than
/// `DTSTART` or of another kind is replaced: an all-day event then lasts one
/// day, a timed event becomes an instant (no `DTEND`), as RFC 5545 §3.6.1 reads it.
/// Years must lie in 0..=9999 to be representable.
pub fn write_calendar(out: &mut String, cal: &IcsCalendar, events: &[IcsEvent]) {
    write_header(out, cal);
    for ev in events {
        write_vevent(out, ev);
    }
    write_footer(out);
}

/// Writes `BEGIN:VCALENDAR` and the calendar's properties; events go after it.
pub fn write_header(out: &mut String, cal: &IcsCalendar) {
    let mut w = Lines {
        out,
        buf: String::new(),
    };
    let refresh = cal.refresh_hours.max(1);
    w.line(format_args!("BEGIN:VCALENDAR"));
    w.line(format_args!("VERSION:2.0"));
    w.line(format_args!("PRODID:{}", Text(&cal.prodid)));
    w.line(format_args!("CALSCALE:GREGORIAN"));
    w.line(format_args!("NAME:{}", Text(&cal.name)));
    w.line(format_args!("X-WR-CALNAME:{}", Text(&cal.name)));
    if let Some(desc) = cal.description.as_deref().filter(|d| !d.is_empty()) {
        w.line(format_args!("DESCRIPTION:{}", Text(desc)));
        w.line(format_args!("X-WR-CALDESC:{}", Text(desc)));
    }
    w.line(format_args!("REFRESH-INTERVAL;VALUE=DURATION:PT{refresh}H"));
    w.line(format_args!("X-PUBLISHED-TTL:PT{refresh}H"));
}

/// Writes one complete `VEVENT`, so feeds can share pre-rendered events.
pub fn write_vevent(out: &mut String, ev: &IcsEvent) {
    let mut w = Lines {
        out,
        buf: String::new(),
    };
    write_event(&mut w, ev);
}

/// Writes `END:VCALENDAR`.
pub fn write_footer(out: &mut String) {
    let mut w = Lines {
        out,
        buf: String::new(),
    };
    w.line(format_args!("END:VCALENDAR"));
}

/// Writes one VEVENT.
fn write_event(w: &mut Lines<'_>, ev: &IcsEvent) {
    w.line(format_args!("BEGIN:VEVENT"));
    w.line(format_args!("UID:{}", Text(&ev.uid)));
    w.line(format_args!("DTSTAMP:{}", UtcStamp(ev.dtstamp)));
    w.line(format_args!("LAST-MODIFIED:{}", UtcStamp(ev.last_modified)));
    w.line(format_args!("SEQUENCE:{}", ev.sequence));
    w.line(format_args!("DTSTART{}", Time(ev.start)));
    if let Some(end) = effective_end(ev.start, ev.end) {
        w.line(format_args!("DTEND{}", Time(end)));
    }
    w.line(format_args!("SUMMARY:{}", Text(&ev.summary)));
    if !ev.description.is_empty() {
        w.line(format_args!("DESCRIPTION:{}", Text(&ev.description)));
    }
    if let Some(url) = ev.url.as_deref().map(Uri).filter(|u| !u.is_empty()) {
        w.line(format_args!("URL:{url}"));
    }
    let categories: Vec<String> = ev
        .categories
        .iter()
        .map(|c| escape_text(c))
        .filter(|c| !c.is_empty())
        .collect();
    if !categories.is_empty() {
        w.line(format_args!("CATEGORIES:{}", categories.join(",")));
    }
    let status = match ev.status {
        IcsStatus::Tentative => "TENTATIVE",
        IcsStatus::Confirmed => "CONFIRMED",
        IcsStatus::Cancelled => "CANCELLED",
    };
    w.line(format_args!("STATUS:{status}"));
    w.line(format_args!("TRANSP:TRANSPARENT"));
    w.line(format_args!("END:VEVENT"));
}

/// The `DTEND` to write: `end` when valid, else one day (dates) or none (instants).
fn effective_end(start: EventTime, end: EventTime) -> Option<EventTime> {
    match (start, end) {
        (EventTime::Date(s), EventTime::Date(e)) if e > s => Some(end),
        (EventTime::Date(s), _) => s.succ_opt().map(EventTime::Date),
        (EventTime::Utc(s), EventTime::Utc(e)) if e > s => Some(end),
        (EventTime::Utc(_), _) => None,
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\\ \; \, \n`, other controls but TAB dropped.
pub fn escape_text(s: &str) -> String {
    Text(s).to_string()
}

/// Appends `line` folded at 75 octets with CRLF; CR and LF inside `line` are dropped.
///
/// Continuation lines start with one space, which counts toward the 75.
/// A fold never splits a UTF-8 character and, where the line allows it, is
/// put between two non-blank characters, so parsers that trim physical
/// lines (such as the `ical` crate) lose no spaces.
pub fn fold_line(out: &mut String, line: &str) {
    let line: Cow<'_, str> = if line.contains(['\r', '\n']) {
        Cow::Owned(line.replace(['\r', '\n'], ""))
    } else {
        Cow::Borrowed(line)
    };
    let mut rest: &str = &line;
    let mut limit = MAX_LINE_OCTETS;
    while rest.len() > limit {
        let cut = fold_point(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Where to fold `rest` (longer than `limit`): the last char boundary within
/// `limit` that has no blank on either side, else the last char boundary.
fn fold_point(rest: &str, limit: usize) -> usize {
    let bytes = rest.as_bytes();
    let blank = |b: u8| b == b' ' || b == b'\t';
    let mut max = limit;
    while !rest.is_char_boundary(max) {
        max -= 1;
    }
    (1..=max)
        .rev()
        .find(|&i| rest.is_char_boundary(i) && !blank(bytes[i - 1]) && !blank(bytes[i]))
        .unwrap_or(max)
}

/// Builds one content line at a time and folds it into `out`.
struct Lines<'a> {
    /// The document being written.
    out: &'a mut String,
    /// Reused buffer for the unfolded content line.
    buf: String,
}

impl Lines<'_> {
    /// Formats one content line and appends it folded.
    fn line(&mut self, args: fmt::Arguments<'_>) {
        self.buf.clear();
        // Writing into a String cannot fail, and our Display impls never fail.
        let _ = self.buf.write_fmt(args);
        fold_line(self.out, &self.buf);
    }
}

/// Displays a TEXT value escaped.
struct Text<'a>(&'a str);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Runs of plain characters are written in one go; only the bytes
        // below are escaped or dropped (all ASCII, so slicing is safe).
        let text = self.0;
        let bytes = text.as_bytes();
        let mut plain_from = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let replacement = match b {
                b'\\' => "\\\\",
                b';' => "\\;",
                b',' => "\\,",
                b'\n' | b'\r' => "\\n",
                b if b.is_ascii_control() && b != b'\t' => "",
                _ => {
                    i += 1;
                    continue;
                }
            };
            f.write_str(&text[plain_from..i])?;
            f.write_str(replacement)?;
            // CRLF is one line break.
            i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            plain_from = i;
        }
        f.write_str(&text[plain_from..])
    }
}

/// A URI value: written verbatim (not TEXT-escaped) minus ASCII control characters.
struct Uri<'a>(&'a str);

impl Uri<'_> {
    /// True when nothing would be written.
    fn is_empty(&self) -> bool {
        self.0.chars().all(|c| c.is_ascii_control())
    }
}

impl fmt::Display for Uri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .split(|c: char| c.is_ascii_control())
            .try_for_each(|part| f.write_str(part))
    }
}

/// Displays a UTC instant as `YYYYMMDDTHHMMSSZ`.
struct UtcStamp(DateTime<Utc>);

impl fmt::Display for UtcStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(f, "{}T", Date(t.date_naive()))?;
        write!(f, "{:02}{:02}{:02}Z", t.hour(), t.minute(), t.second())
    }
}

/// Displays a date as `YYYYMMDD`.
struct Date(NaiveDate);

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{:04}{:02}{:02}", d.year(), d.month(), d.day())
    }
}

/// Displays the parameters and value of DTSTART/DTEND, from the `;` or `:` on.
struct Time(EventTime);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            EventTime::Date(d) => write!(f, ";VALUE=DATE:{}", Date(d)),
            EventTime::Utc(t) => write!(f, ":{}", UtcStamp(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone as _};
    use ical::parser::ical::component::{IcalCalendar, IcalEvent};
    use ical::property::Property;
    use std::io::BufReader;

    // ---------- helpers ----------

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn calendar() -> IcsCalendar {
        IcsCalendar {
            name: "Acme Releases".into(),
            description: Some("All releases, internal".into()),
            prodid: "-//shipdate//shipdate 0.1//EN".into(),
            refresh_hours: 6,
        }
    }

    fn all_day_event() -> IcsEvent {
        IcsEvent {
            uid: "payments-v2.launch.ship@releases.acme.example".into(),
            summary: "Payments v2 ships".into(),
            description: "Faster checkout with saved cards; one-tap payments.\nSee the rollout plan, section 2.".into(),
            url: Some("https://acme.example/releases/payments-v2/".into()),
            categories: vec!["checkout".into(), "major".into(), "launch".into()],
            start: EventTime::Date(date(2026, 12, 1)),
            end: EventTime::Date(date(2026, 12, 2)),
            status: IcsStatus::Tentative,
            dtstamp: utc(2026, 11, 20, 10, 30, 0),
            last_modified: utc(2026, 11, 20, 10, 30, 0),
            sequence: 7,
        }
    }

    fn timed_event() -> IcsEvent {
        IcsEvent {
            uid: "payments-v2.rollout.canary@releases.acme.example".into(),
            summary: "Canary 1%".into(),
            description: String::new(),
            url: None,
            categories: vec![],
            start: EventTime::Utc(utc(2026, 12, 1, 14, 0, 0)),
            end: EventTime::Utc(utc(2026, 12, 3, 14, 0, 0)),
            status: IcsStatus::Cancelled,
            dtstamp: utc(2026, 11, 20, 10, 30, 0),
            last_modified: utc(2026, 11, 19, 8, 5, 9),
            sequence: 0,
        }
    }

    fn render(cal: &IcsCalendar, events: &[IcsEvent]) -> String {
        let mut out = String::new();
        write_calendar(&mut out, cal, events);
        assert_wire_format(&out);
        out
    }

    fn fold(line: &str) -> String {
        let mut out = String::new();
        fold_line(&mut out, line);
        out
    }

    /// Physical lines as bytes (without CRLF); `out` must end in CRLF.
    fn physical_lines(out: &str) -> Vec<&[u8]> {
        let bytes = out.as_bytes();
        assert!(bytes.ends_with(b"\r\n"), "no final CRLF: {out:?}");
        let body = &bytes[..bytes.len() - 2];
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i + 1 < body.len() {
            if body[i] == b'\r' && body[i + 1] == b'\n' {
                lines.push(&body[start..i]);
                start = i + 2;
                i += 2;
            } else {
                i += 1;
            }
        }
        lines.push(&body[start..]);
        lines
    }

    /// Every folded-output invariant: CRLF only, ≤ 75 octets, valid UTF-8 per line.
    fn assert_wire_format(out: &str) {
        let bytes = out.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at {i}: {out:?}");
            }
            if b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}: {out:?}");
            }
        }
        for line in physical_lines(out) {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            // Only an empty input line (fold_line("")) may give an empty physical line.
            assert!(
                !line.is_empty() || out == "\r\n",
                "empty physical line in {out:?}"
            );
            let text = std::str::from_utf8(line).expect("physical line is not UTF-8");
            assert!(!text.contains(['\r', '\n']));
        }
    }

    /// RFC 5545 §3.1 unfolding: remove every CRLF followed by one space.
    fn unfold(out: &str) -> String {
        out.replace("\r\n ", "")
    }

    /// Folds `line`, checks all invariants, and that each fold is where the
    /// rule puts it: the last spot within the limit with no blank (SP/TAB) on
    /// either side, else as late as the limit allows without splitting a char.
    fn check_fold(line: &str) {
        let out = fold(line);
        assert_wire_format(&out);
        assert_eq!(unfold(&out), format!("{line}\r\n"), "unfold mismatch");
        let lines = physical_lines(&out);
        let mut rest: Vec<char> = line.chars().collect();
        for (n, phys) in lines.iter().enumerate() {
            let content = if n == 0 {
                *phys
            } else {
                assert_eq!(phys[0], b' ', "continuation without leading space");
                assert!(phys.len() >= 2, "continuation carries no character");
                &phys[1..]
            };
            let taken = std::str::from_utf8(content).unwrap().chars().count();
            if n + 1 == lines.len() {
                assert_eq!(taken, rest.len());
                break;
            }
            let limit = if n == 0 { 75 } else { 74 };
            // octets(k): size of the first k chars; max: most chars that fit.
            let octets = |k: usize| rest[..k].iter().map(|c| c.len_utf8()).sum::<usize>();
            let max = (1..rest.len()).rev().find(|&k| octets(k) <= limit).unwrap();
            let blank = |c: char| c == ' ' || c == '\t';
            let expected = (1..=max)
                .rev()
                .find(|&k| !blank(rest[k - 1]) && !blank(rest[k]))
                .unwrap_or(max);
            assert_eq!(taken, expected, "fold {n} misplaced in {out:?}");
            rest.drain(..taken);
        }
    }

    fn unescape(raw: &str) -> String {
        let mut out = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => panic!("dangling backslash in {raw:?}"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Splits a raw TEXT list on unescaped commas, then unescapes each item.
    fn split_list(raw: &str) -> Vec<String> {
        let mut items = vec![String::new()];
        let mut escaped = false;
        for c in raw.chars() {
            let last = items.last_mut().unwrap();
            if escaped {
                last.push('\\');
                last.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == ',' {
                items.push(String::new());
            } else {
                last.push(c);
            }
        }
        items.iter().map(|i| unescape(i)).collect()
    }

    fn parse(out: &str) -> IcalCalendar {
        let mut cals: Vec<_> = ical::IcalParser::new(BufReader::new(out.as_bytes()))
            .collect::<Result<_, _>>()
            .expect("ical failed to parse the output");
        assert_eq!(cals.len(), 1);
        cals.pop().unwrap()
    }

    fn props<'a>(props: &'a [Property], name: &str) -> Vec<&'a Property> {
        props.iter().filter(|p| p.name == name).collect()
    }

    fn one<'a>(all: &'a [Property], name: &str) -> &'a Property {
        let found = props(all, name);
        assert_eq!(found.len(), 1, "{name} occurs {} times", found.len());
        found[0]
    }

    fn value<'a>(all: &'a [Property], name: &str) -> &'a str {
        one(all, name).value.as_deref().unwrap_or("")
    }

    fn params(p: &Property) -> Vec<(String, Vec<String>)> {
        p.params.clone().unwrap_or_default()
    }

    fn event_lines(ev: &IcsEvent) -> Vec<String> {
        let out = render(&calendar(), std::slice::from_ref(ev));
        unfold(&out).split("\r\n").map(str::to_owned).collect()
    }

    // ---------- escaping ----------

    #[test]
    fn escapes_each_special_character() {
        assert_eq!(escape_text("a\\b"), "a\\\\b");
        assert_eq!(escape_text("a;b"), "a\\;b");
        assert_eq!(escape_text("a,b"), "a\\,b");
        assert_eq!(escape_text("a\nb"), "a\\nb");
        assert_eq!(escape_text("a\r\nb"), "a\\nb");
        assert_eq!(escape_text("a\rb"), "a\\nb");
        assert_eq!(escape_text("a\n\nb"), "a\\n\\nb");
        assert_eq!(escape_text("a\r\r\nb"), "a\\n\\nb");
        assert_eq!(escape_text("a\n\rb"), "a\\n\\nb");
        assert_eq!(escape_text("\r"), "\\n");
        assert_eq!(
            escape_text("\\n"),
            "\\\\n",
            "a literal backslash-n stays two chars"
        );
        assert_eq!(escape_text("\\;,"), "\\\\\\;\\,");
    }

    #[test]
    fn leaves_other_text_alone() {
        let plain = "Tab\there: \"quoted\" 100% <ok> é € 😀 ^~`'";
        assert_eq!(escape_text(plain), plain);
        assert_eq!(escape_text(""), "");
    }

    #[test]
    fn escaping_covers_all_ascii() {
        for b in 0u8..=0x7f {
            let c = char::from(b);
            let expected = match c {
                '\\' => "\\\\".to_owned(),
                ';' => "\\;".to_owned(),
                ',' => "\\,".to_owned(),
                '\n' | '\r' => "\\n".to_owned(),
                '\t' => "\t".to_owned(),
                c if b < 0x20 || b == 0x7f => {
                    let _ = c;
                    String::new()
                }
                c => c.to_string(),
            };
            assert_eq!(
                escape_text(&format!("x{c}y")),
                format!("x{expected}y"),
                "byte {b:#04x}"
            );
        }
    }

    #[test]
    fn escaped_text_unescapes_to_the_original() {
        let samples = ["", "a;b,c\\d\ne", "\\\\;;,,\n\n", "é;€,😀\\", "trailing\\"];
        for s in samples {
            assert_eq!(unescape(&escape_text(s)), s);
        }
        assert_eq!(unescape(&escape_text("x\r\ny\rz\u{7}")), "x\ny\nz");
    }

    // ---------- folding ----------

    #[test]
    fn folds_at_exactly_75_and_76_octets() {
        let x75 = "X".repeat(75);
        assert_eq!(fold(&x75), format!("{x75}\r\n"));
        assert_eq!(fold(&"X".repeat(76)), format!("{x75}\r\n X\r\n"));
        // A continuation line holds 74 octets after its leading space.
        let x74 = "X".repeat(74);
        assert_eq!(fold(&"X".repeat(149)), format!("{x75}\r\n {x74}\r\n"));
        assert_eq!(fold(&"X".repeat(150)), format!("{x75}\r\n {x74}\r\n X\r\n"));
        assert_eq!(fold(""), "\r\n");
        assert_eq!(fold("X"), "X\r\n");
    }

    #[test]
    fn never_splits_a_multibyte_character() {
        let x = |n: usize| "X".repeat(n);
        // 2 octets ending exactly at 75 stay on the line; straddling moves down.
        assert_eq!(fold(&format!("{}é", x(73))), format!("{}é\r\n", x(73)));
        assert_eq!(
            fold(&format!("{}éZ", x(74))),
            format!("{}\r\n éZ\r\n", x(74))
        );
        assert_eq!(
            fold(&format!("{}€Z", x(73))),
            format!("{}\r\n €Z\r\n", x(73))
        );
        assert_eq!(
            fold(&format!("{}😀Z", x(72))),
            format!("{}\r\n 😀Z\r\n", x(72))
        );
        assert_eq!(
            fold(&format!("{}😀Z", x(71))),
            format!("{}😀\r\n Z\r\n", x(71))
        );
    }

    #[test]
    fn folding_multibyte_chars_at_every_offset() {
        for ch in ['é', 'ß', '€', '中', '😀', '𝄞'] {
            for prefix in 0..=240 {
                for count in 1..=4 {
                    let line = format!(
                        "{}{}{}",
                        "A".repeat(prefix),
                        ch.to_string().repeat(count),
                        "B".repeat(9)
                    );
                    check_fold(&line);
                }
            }
            for count in 0..=200 {
                check_fold(&ch.to_string().repeat(count));
            }
        }
    }

    #[test]
    fn folding_pseudo_random_lines() {
        let alphabet = [
            'a', 'Z', '0', ':', ';', '\\', ' ', '\t', 'é', '€', '中', '😀', '\u{301}',
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 400) as usize;
            let line: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            check_fold(&line);
        }
    }

    #[test]
    fn folds_between_non_blank_characters_when_possible() {
        let line = format!("{} {}", "X".repeat(74), "Y".repeat(10));
        let out = fold(&line);
        assert_eq!(
            out,
            format!("{}\r\n X {}\r\n", "X".repeat(73), "Y".repeat(10))
        );
        let words = "lorem ipsum dolor sit amet ".repeat(20);
        let out = fold(words.trim_end());
        for phys in physical_lines(&out) {
            assert!(!phys.ends_with(b" "), "line ends in a blank: {out:?}");
        }
        for phys in &physical_lines(&out)[1..] {
            assert_ne!(phys[1], b' ', "continuation starts with a blank: {out:?}");
        }
        check_fold(words.trim_end());
    }

    #[test]
    fn folds_blank_only_lines_at_the_limit() {
        for line in [" ".repeat(200), "\t".repeat(160), "a ".repeat(120)] {
            check_fold(&line);
        }
        let out = fold(&" ".repeat(76));
        assert_eq!(out, format!("{}\r\n  \r\n", " ".repeat(75)));
    }

    #[test]
    fn fold_line_drops_line_breaks_and_appends() {
        let mut out = String::from("KEEP\r\n");
        fold_line(&mut out, "A\nB\rC\r\nD");
        assert_eq!(out, "KEEP\r\nABCD\r\n");
    }

    // ---------- document ----------

    #[test]
    fn writes_the_exact_document() {
        let out = render(&calendar(), &[all_day_event(), timed_event()]);
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//shipdate//shipdate 0.1//EN",
            "CALSCALE:GREGORIAN",
            "NAME:Acme Releases",
            "X-WR-CALNAME:Acme Releases",
            "DESCRIPTION:All releases\\, internal",
            "X-WR-CALDESC:All releases\\, internal",
            "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
            "X-PUBLISHED-TTL:PT6H",
            "BEGIN:VEVENT",
            "UID:payments-v2.launch.ship@releases.acme.example",
            "DTSTAMP:20261120T103000Z",
            "LAST-MODIFIED:20261120T103000Z",
            "SEQUENCE:7",
            "DTSTART;VALUE=DATE:20261201",
            "DTEND;VALUE=DATE:20261202",
            "SUMMARY:Payments v2 ships",
            "DESCRIPTION:Faster checkout with saved cards\\; one-tap payments.\\nSee the r",
            " ollout plan\\, section 2.",
            "URL:https://acme.example/releases/payments-v2/",
            "CATEGORIES:checkout,major,launch",
            "STATUS:TENTATIVE",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:payments-v2.rollout.canary@releases.acme.example",
            "DTSTAMP:20261120T103000Z",
            "LAST-MODIFIED:20261119T080509Z",
            "SEQUENCE:0",
            "DTSTART:20261201T140000Z",
            "DTEND:20261203T140000Z",
            "SUMMARY:Canary 1%",
            "STATUS:CANCELLED",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
            "END:VCALENDAR",
        ];
        assert_eq!(out, expected.map(|l| format!("{l}\r\n")).concat());
    }

    #[test]
    fn is_deterministic_and_keeps_event_order() {
        let events = [timed_event(), all_day_event()];
        let a = render(&calendar(), &events);
        let b = render(&calendar(), &events);
        assert_eq!(a, b);
        let canary = a.find("canary@").unwrap();
        let launch = a.find("launch.ship@").unwrap();
        assert!(canary < launch);
        let mut out = String::from("prefix");
        write_calendar(&mut out, &calendar(), &events);
        assert_eq!(out, format!("prefix{a}"));
    }

    #[test]
    fn has_no_method_tzid_or_vtimezone() {
        let out = render(&calendar(), &[all_day_event(), timed_event()]);
        assert!(!out.contains("TZID"));
        assert!(!out.contains("VTIMEZONE"));
        assert!(!unfold(&out).split("\r\n").any(|l| l.starts_with("METHOD")));
        let parsed = parse(&out);
        assert!(props(&parsed.properties, "METHOD").is_empty());
        assert!(parsed.timezones.is_empty());
    }

    #[test]
    fn empty_feed_is_a_valid_calendar() {
        let cal = IcsCalendar {
            description: None,
            ..calendar()
        };
        let out = render(&cal, &[]);
        assert!(!out.contains("DESCRIPTION") && !out.contains("X-WR-CALDESC"));
        let parsed = parse(&out);
        assert!(parsed.events.is_empty());
        assert_eq!(value(&parsed.properties, "NAME"), "Acme Releases");
        let empty = IcsCalendar {
            description: Some(String::new()),
            ..calendar()
        };
        assert!(!render(&empty, &[]).contains("DESCRIPTION"));
    }

    #[test]
    fn refresh_interval_and_ttl() {
        for (hours, text) in [
            (0, "PT1H"),
            (1, "PT1H"),
            (24, "PT24H"),
            (u32::MAX, "PT4294967295H"),
        ] {
            let cal = IcsCalendar {
                refresh_hours: hours,
                ..calendar()
            };
            let parsed = parse(&render(&cal, &[]));
            let refresh = one(&parsed.properties, "REFRESH-INTERVAL");
            assert_eq!(refresh.value.as_deref(), Some(text));
            assert_eq!(
                params(refresh),
                vec![("VALUE".to_owned(), vec!["DURATION".to_owned()])]
            );
            assert_eq!(value(&parsed.properties, "X-PUBLISHED-TTL"), text);
        }
    }

    #[test]
    fn calendar_text_fields_are_escaped() {
        let cal = IcsCalendar {
            name: "Team A, B; C\\D".into(),
            description: Some("line 1\nline 2".into()),
            prodid: "-//x//y, z//EN".into(),
            refresh_hours: 12,
        };
        let parsed = parse(&render(&cal, &[]));
        for name in ["NAME", "X-WR-CALNAME"] {
            assert_eq!(value(&parsed.properties, name), "Team A\\, B\\; C\\\\D");
            assert_eq!(unescape(value(&parsed.properties, name)), cal.name);
        }
        for name in ["DESCRIPTION", "X-WR-CALDESC"] {
            assert_eq!(value(&parsed.properties, name), "line 1\\nline 2");
        }
        assert_eq!(value(&parsed.properties, "PRODID"), "-//x//y\\, z//EN");
        assert_eq!(value(&parsed.properties, "VERSION"), "2.0");
        assert_eq!(value(&parsed.properties, "CALSCALE"), "GREGORIAN");
    }

    #[test]
    fn all_day_events_have_exclusive_dtend() {
        let one_day = all_day_event();
        assert!(event_lines(&one_day).contains(&"DTEND;VALUE=DATE:20261202".to_owned()));
        let three_days = IcsEvent {
            end: EventTime::Date(date(2026, 12, 4)),
            ..all_day_event()
        };
        let lines = event_lines(&three_days);
        assert!(lines.contains(&"DTSTART;VALUE=DATE:20261201".to_owned()));
        assert!(lines.contains(&"DTEND;VALUE=DATE:20261204".to_owned()));
    }

    #[test]
    fn invalid_ends_are_normalized() {
        let new_year = EventTime::Date(date(2026, 12, 31));
        let cases = [
            (new_year, new_year, Some("DTEND;VALUE=DATE:20270101")),
            (
                new_year,
                EventTime::Date(date(2026, 1, 1)),
                Some("DTEND;VALUE=DATE:20270101"),
            ),
            (
                new_year,
                EventTime::Utc(utc(2027, 1, 5, 0, 0, 0)),
                Some("DTEND;VALUE=DATE:20270101"),
            ),
            (
                EventTime::Date(NaiveDate::MAX),
                EventTime::Date(NaiveDate::MAX),
                None,
            ),
            (
                EventTime::Utc(utc(2026, 1, 1, 9, 0, 0)),
                EventTime::Utc(utc(2026, 1, 1, 9, 0, 0)),
                None,
            ),
            (
                EventTime::Utc(utc(2026, 1, 1, 9, 0, 0)),
                EventTime::Utc(utc(2025, 1, 1, 9, 0, 0)),
                None,
            ),
            (
                EventTime::Utc(utc(2026, 1, 1, 9, 0, 0)),
                EventTime::Date(date(2026, 1, 2)),
                None,
            ),
        ];
        for (start, end, expected) in cases {
            let ev = IcsEvent {
                start,
                end,
                ..all_day_event()
            };
            let mut out = String::new();
            write_calendar(&mut out, &calendar(), &[ev]);
            let dtend: Vec<String> = unfold(&out)
                .split("\r\n")
                .filter(|l| l.starts_with("DTEND"))
                .map(str::to_owned)
                .collect();
            assert_eq!(
                dtend,
                expected.map(str::to_owned).into_iter().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn timed_events_are_written_in_utc() {
        let berlin = FixedOffset::east_opt(2 * 3600).unwrap();
        let start = berlin
            .with_ymd_and_hms(2026, 6, 1, 1, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        let end = start + chrono::Duration::milliseconds(90 * 60_000 + 999);
        let stamp = utc(2026, 5, 1, 0, 0, 0) + chrono::Duration::nanoseconds(999_999_999);
        let ev = IcsEvent {
            start: EventTime::Utc(start),
            end: EventTime::Utc(end),
            dtstamp: stamp,
            last_modified: stamp,
            ..timed_event()
        };
        let lines = event_lines(&ev);
        assert!(lines.contains(&"DTSTART:20260531T233000Z".to_owned()));
        assert!(
            lines.contains(&"DTEND:20260601T010000Z".to_owned()),
            "sub-seconds are dropped"
        );
        assert!(lines.contains(&"DTSTAMP:20260501T000000Z".to_owned()));
        assert!(lines.contains(&"LAST-MODIFIED:20260501T000000Z".to_owned()));
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        let ev = IcsEvent {
            dtstamp: leap,
            ..timed_event()
        };
        assert!(event_lines(&ev).contains(&"DTSTAMP:20161231T235959Z".to_owned()));
    }

    #[test]
    fn status_values() {
        for (status, text) in [
            (IcsStatus::Tentative, "STATUS:TENTATIVE"),
            (IcsStatus::Confirmed, "STATUS:CONFIRMED"),
            (IcsStatus::Cancelled, "STATUS:CANCELLED"),
        ] {
            let lines = event_lines(&IcsEvent {
                status,
                ..all_day_event()
            });
            assert!(lines.contains(&text.to_owned()));
            assert!(lines.contains(&"TRANSP:TRANSPARENT".to_owned()));
        }
    }

    #[test]
    fn optional_event_properties_are_omitted() {
        let bare = IcsEvent {
            description: String::new(),
            url: Some("\r\n".into()),
            categories: vec![String::new(), "\u{1}".into()],
            ..all_day_event()
        };
        let out = render(&calendar(), &[bare]);
        let parsed = parse(&out);
        let ev = &parsed.events[0].properties;
        for name in ["DESCRIPTION", "URL", "CATEGORIES"] {
            assert!(props(ev, name).is_empty(), "{name} should be omitted");
        }
        let no_url = IcsEvent {
            url: None,
            ..all_day_event()
        };
        assert!(!render(&calendar(), &[no_url]).contains("URL:"));
    }

    #[test]
    fn url_is_a_uri_not_text() {
        let url = "https://acme.example/a,b;c/?q=1&r=\\x#frag";
        let ev = IcsEvent {
            url: Some(format!("{url}\r\n\tX")),
            ..all_day_event()
        };
        let parsed = parse(&render(&calendar(), &[ev]));
        assert_eq!(
            value(&parsed.events[0].properties, "URL"),
            format!("{url}X")
        );
        let long = format!("https://acme.example/{}", "segment/".repeat(20));
        let ev = IcsEvent {
            url: Some(long.clone()),
            ..all_day_event()
        };
        let parsed = parse(&render(&calendar(), &[ev]));
        assert_eq!(value(&parsed.events[0].properties, "URL"), long);
    }

    #[test]
    fn categories_escape_each_item() {
        let ev = IcsEvent {
            categories: vec![
                "checkout".into(),
                "a,b".into(),
                String::new(),
                "semi;colon\\".into(),
                "é".into(),
            ],
            ..all_day_event()
        };
        let out = render(&calendar(), &[ev]);
        assert!(unfold(&out).contains("\r\nCATEGORIES:checkout,a\\,b,semi\\;colon\\\\,é\r\n"));
        let parsed = parse(&out);
        let raw = value(&parsed.events[0].properties, "CATEGORIES");
        assert_eq!(split_list(raw), ["checkout", "a,b", "semi;colon\\", "é"]);
    }

    #[test]
    fn parses_back_with_ical() {
        let events = [all_day_event(), timed_event()];
        let parsed = parse(&render(&calendar(), &events));
        assert_eq!(value(&parsed.properties, "NAME"), "Acme Releases");
        assert_eq!(value(&parsed.properties, "X-WR-CALNAME"), "Acme Releases");
        assert_eq!(parsed.events.len(), 2);

        let ev: &IcalEvent = &parsed.events[0];
        let p = &ev.properties;
        assert_eq!(value(p, "UID"), events[0].uid);
        let start = one(p, "DTSTART");
        assert_eq!(start.value.as_deref(), Some("20261201"));
        assert_eq!(
            params(start),
            vec![("VALUE".to_owned(), vec!["DATE".to_owned()])]
        );
        let end = one(p, "DTEND");
        assert_eq!(end.value.as_deref(), Some("20261202"));
        assert_eq!(
            params(end),
            vec![("VALUE".to_owned(), vec!["DATE".to_owned()])]
        );
        // ical 0.11 does not unescape: it hands back the escaped TEXT.
        assert_eq!(value(p, "SUMMARY"), escape_text(&events[0].summary));
        assert_eq!(unescape(value(p, "DESCRIPTION")), events[0].description);
        assert_eq!(
            value(p, "URL"),
            "https://acme.example/releases/payments-v2/"
        );
        assert_eq!(
            split_list(value(p, "CATEGORIES")),
            ["checkout", "major", "launch"]
        );
        assert_eq!(value(p, "SEQUENCE"), "7");
        assert_eq!(value(p, "STATUS"), "TENTATIVE");
        assert_eq!(value(p, "TRANSP"), "TRANSPARENT");
        assert_eq!(value(p, "DTSTAMP"), "20261120T103000Z");
        assert_eq!(value(p, "LAST-MODIFIED"), "20261120T103000Z");

        let p = &parsed.events[1].properties;
        assert_eq!(value(p, "UID"), events[1].uid);
        let start = one(p, "DTSTART");
        assert_eq!(start.value.as_deref(), Some("20261201T140000Z"));
        assert!(start.params.is_none());
        assert_eq!(value(p, "DTEND"), "20261203T140000Z");
        assert_eq!(value(p, "STATUS"), "CANCELLED");
        assert!(props(p, "DESCRIPTION").is_empty());
    }

    #[test]
    fn description_round_trips_as_one_property() {
        let description = "Ship it, then watch; rollback if needed.\r\nSteps:\n1. flag on\\off, 50%;\r\n\
            2. STATUS:CANCELLED\nEND:VEVENT\nBEGIN:VEVENT\n3. tschüß — 完了 😀 done.   spaced    out   "
            .repeat(3);
        let summary = "Summary with, commas; semicolons\nand a newline";
        let ev = IcsEvent {
            description: description.clone(),
            summary: summary.into(),
            uid: format!("{}@releases.acme.example", "long-uid-".repeat(12)),
            ..all_day_event()
        };
        let out = render(&calendar(), &[ev.clone(), timed_event()]);
        let parsed = parse(&out);
        assert_eq!(parsed.events.len(), 2, "no event injected by the text");
        let p = &parsed.events[0].properties;
        let raw = value(p, "DESCRIPTION");
        assert!(!raw.contains(['\r', '\n']));
        let normalized = description.replace("\r\n", "\n").trim_end().to_owned();
        // ical 0.11 trims the end of the logical line; everything else survives.
        assert_eq!(unescape(raw), normalized);
        assert_eq!(raw, escape_text(&description).trim_end());
        assert_eq!(unescape(value(p, "SUMMARY")), summary);
        assert_eq!(value(p, "UID"), ev.uid);
        assert_eq!(value(p, "STATUS"), "TENTATIVE");
        assert_eq!(props(p, "END").len(), 0);
        let names: Vec<&str> = p.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "UID",
                "DTSTAMP",
                "LAST-MODIFIED",
                "SEQUENCE",
                "DTSTART",
                "DTEND",
                "SUMMARY",
                "DESCRIPTION",
                "URL",
                "CATEGORIES",
                "STATUS",
                "TRANSP"
            ]
        );
    }
}
