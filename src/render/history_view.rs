//! What git history says about one release, for its internal page: the
//! ship-date history with each slip, and the late scope changes.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::content::Release;
use crate::history::{FileHistory, LateChange, Slip, State};
use crate::moment::Moment;
use crate::site::Site;
use crate::wording;

/// Characters of a commit id shown on pages.
const SHORT_ID: usize = 8;

/// The history block of a release page; absent without git history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    /// A shallow clone: counts and the first planned date may be missing.
    pub shallow: bool,
    /// When the file was first committed, for people (`None` when cut off).
    pub created: Option<String>,
    /// Who first committed it.
    pub created_by: Option<String>,
    /// Last commit time, for people.
    pub modified: Option<String>,
    /// Commits that changed the file (the iCal SEQUENCE).
    pub commits: u32,
    /// The working tree has uncommitted edits to it.
    pub dirty: bool,
    /// The ship date of the first commit, for people.
    pub first_date: Option<String>,
    /// Every change of ship date, oldest first.
    pub slips: Vec<SlipRow>,
    /// Commits within `late_change_days` before the ship date, oldest first.
    pub late: Vec<LateRow>,
    /// `late_change_days`.
    pub late_days: u32,
}

/// One change of ship date.
#[derive(Debug, Clone, Serialize)]
pub struct SlipRow {
    /// The date before, for people.
    pub from: String,
    /// The date before, for machines.
    pub from_iso: String,
    /// The date after, for people.
    pub to: String,
    /// The date after, for machines.
    pub to_iso: String,
    /// `later` or `earlier`.
    pub direction: &'static str,
    /// Whole days moved (positive: later).
    pub days: i64,
    /// "7 days later", "1 day earlier", "same day" (a time change).
    pub moved: String,
    /// Commit time, for people (UTC).
    pub at: String,
    /// Commit time, for machines.
    pub at_iso: String,
    /// Commit author.
    pub author: String,
    /// Short commit id.
    pub commit: String,
}

/// One late scope change.
#[derive(Debug, Clone, Serialize)]
pub struct LateRow {
    /// Commit time, for people (UTC); the build's time for uncommitted edits.
    pub at: String,
    /// Commit time, for machines.
    pub at_iso: String,
    /// Commit author; empty for uncommitted edits.
    pub author: String,
    /// Short commit id; `None` for uncommitted edits.
    pub commit: Option<String>,
    /// Front-matter keys changed.
    pub keys: Vec<String>,
    /// Body sections changed.
    pub sections: Vec<String>,
}

/// "2026-11-20 14:03 UTC".
pub fn instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// "2026-11-20T14:03:00Z".
pub fn instant_iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The first characters of a commit id.
pub fn short(id: &str) -> String {
    id.chars().take(SHORT_ID).collect()
}

impl HistoryView {
    /// The block for release `r`, or `None` without git history.
    pub fn of(site: &Site, r: &Release) -> Option<Self> {
        if site.history.state == State::Off {
            return None;
        }
        let empty = FileHistory {
            dirty: true,
            ..FileHistory::default()
        };
        let h = site.history.file(&r.path).unwrap_or(&empty);
        Some(Self {
            shallow: site.history.state == State::Shallow,
            created: h.created.map(instant),
            created_by: h.created_by.clone(),
            modified: h.modified.map(instant),
            commits: h.commits,
            dirty: h.dirty,
            first_date: h.first_date.map(|d| wording::moment(&d, r.timezone)),
            slips: h.slips.iter().map(|s| slip_row(s, r)).collect(),
            late: h.late.iter().map(late_row).collect(),
            late_days: site.config.late_change_days,
        })
    }
}

fn slip_row(s: &Slip, r: &Release) -> SlipRow {
    let day = |m: &Moment| m.local_date(r.timezone);
    let days = (day(&s.to) - day(&s.from)).num_days();
    let later = s.to.start_utc(r.timezone) >= s.from.start_utc(r.timezone);
    SlipRow {
        from: wording::moment(&s.from, r.timezone),
        from_iso: wording::iso(&s.from),
        to: wording::moment(&s.to, r.timezone),
        to_iso: wording::iso(&s.to),
        direction: if later { "later" } else { "earlier" },
        days,
        moved: match days.unsigned_abs() {
            0 => "same day".to_string(),
            1 => format!("1 day {}", if later { "later" } else { "earlier" }),
            n => format!("{n} days {}", if later { "later" } else { "earlier" }),
        },
        at: instant(s.at),
        at_iso: instant_iso(s.at),
        author: s.author.clone(),
        commit: short(&s.commit),
    }
}

fn late_row(c: &LateChange) -> LateRow {
    LateRow {
        at: instant(c.at),
        at_iso: instant_iso(c.at),
        author: c.author.clone(),
        commit: c.commit.as_deref().map(short),
        keys: c.keys.clone(),
        sections: c.sections.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_say_which_way_and_how_far() {
        let tz = chrono_tz::UTC;
        let from = Moment::parse("2026-12-01", tz).unwrap();
        let to = Moment::parse("2026-12-08", tz).unwrap();
        let at = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        let slip = Slip {
            from,
            to,
            at,
            author: "Dana".into(),
            commit: "0123456789abcdef".into(),
        };
        let release = crate::content::parse_release(
            std::path::Path::new("content/a.md"),
            "---\ntitle: A\nteam: web\ntype: patch\ndate: 2026-12-08\n---\n",
            &crate::config::SiteConfig::default(),
        )
        .unwrap();
        let row = slip_row(&slip, &release);
        assert_eq!((row.direction, row.days), ("later", 7));
        assert_eq!(row.moved, "7 days later");
        assert_eq!(row.commit, "01234567");
        assert_eq!(row.from_iso, "2026-12-01");
        let back = slip_row(
            &Slip {
                from: to,
                to: from,
                ..slip
            },
            &release,
        );
        assert_eq!((back.direction, back.days), ("earlier", -7));
        assert_eq!(back.moved, "7 days earlier");
    }
}
