//! Notification rules: support hears before customers, affected groups in
//! time, nobody told on a weekend or holiday, notifications recorded,
//! breaking changes announced to partners.

use chrono::{Datelike, NaiveDate, Weekday};

use super::clock::Clock;
use super::{finding, is_live};
use crate::config::{Level, SiteConfig};
use crate::content::Release;
use crate::content::frontmatter::GateKind;
use crate::diagnostic::{Diagnostic, Position};
use crate::offset::Offset;
use crate::timing::{after, instant, overdue_after};
use crate::wording;

/// The rules of this family for one release (they read no other release);
/// `clock` notes what of "now" the findings depend on.
pub(super) fn check_release(
    config: &SiteConfig,
    r: &Release,
    clock: &mut Clock,
    out: &mut Vec<Diagnostic>,
) {
    if !is_live(r) {
        return;
    }
    for n in &r.notifications {
        if overdue_after(n, r, config).is_some_and(|due| clock.passed(due)) {
            out.push(finding(
                "notification-overdue",
                r,
                list_position(r),
                format!(
                    "{} were to be told {} and nothing records that they were",
                    group_name(config, &n.group),
                    wording::moment(&n.when, r.timezone)
                ),
                format!(
                    "tell them now and record it under `notified:` (`{}: {}`), or move the date",
                    n.group,
                    clock.today(r.timezone)
                ),
            ));
        }
    }
    if r.has_shipped() || r.date.is_none() {
        return;
    }
    support_first(config, r, out);
    affected_lead(config, r, out);
    off_days(config, r, out);
    breaking(config, r, out);
}

/// Where the release's notification list is: `stakeholders:`, else `type:`.
pub(super) fn list_position(r: &Release) -> Position {
    r.positions
        .get("stakeholders")
        .copied()
        .unwrap_or_else(|| r.position_of("type"))
}

fn group_name<'a>(config: &'a SiteConfig, id: &'a str) -> &'a str {
    config
        .stakeholders
        .get(id)
        .map(|g| g.name.as_str())
        .unwrap_or(id)
}

/// Support's notification must not come after an external group's or the announcement.
fn support_first(config: &SiteConfig, r: &Release, out: &mut Vec<Diagnostic>) {
    let Some(support) = r.notifications.iter().find(|n| n.group == "support") else {
        return;
    };
    let support_at = instant(&support.when, r);
    let mut earlier: Vec<(String, crate::moment::Moment)> = r
        .notifications
        .iter()
        .filter(|n| {
            config
                .stakeholders
                .get(&n.group)
                .is_some_and(|g| g.external)
        })
        .filter(|n| instant(&n.when, r) < support_at)
        .map(|n| (group_name(config, &n.group).to_string(), n.when))
        .collect();
    if let Some(a) = r
        .announce
        .filter(|a| r.is_customer_facing() && instant(a, r) < support_at)
    {
        earlier.push(("the announcement".into(), a));
    }
    if let Some((who, when)) = earlier.first() {
        out.push(finding(
            "support-after-customers",
            r,
            list_position(r),
            format!(
                "support hears {} but {who} {}",
                wording::moment(&support.when, r.timezone),
                wording::moment(when, r.timezone)
            ),
            "tell support first: give `support` an earlier offset (e.g. `{id: support, at: T-5b}`) or tell the others later".into(),
        ));
    }
}

/// Groups of level `affected` hear at least `affected_lead` before the ship date.
fn affected_lead(config: &SiteConfig, r: &Release, out: &mut Vec<Diagnostic>) {
    let Some(date) = r.date else { return };
    let lead = config.affected_lead;
    let latest = after(
        &date,
        Offset {
            amount: -lead.amount,
            ..lead
        },
        r,
        config,
    );
    for n in &r.notifications {
        let affected = config
            .stakeholders
            .get(&n.group)
            .is_some_and(|g| g.level == Level::Affected);
        if affected && instant(&n.when, r) > latest {
            out.push(finding(
                "affected-too-late",
                r,
                list_position(r),
                format!(
                    "{} (affected) hear {}, less than `affected_lead` ({}) before the ship date",
                    group_name(config, &n.group),
                    wording::moment(&n.when, r.timezone),
                    lead.to_string().trim_start_matches("T+")
                ),
                format!("tell `{}` earlier, with a business-day offset such as `T-3b`: they need documentation ahead", n.group),
            ));
        }
    }
}

fn is_off_day(config: &SiteConfig, day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || config.holidays.contains(&day)
}

/// The ship date, the announcement and the notifications fall on working days.
fn off_days(config: &SiteConfig, r: &Release, out: &mut Vec<Diagnostic>) {
    let Some(date) = r.date else { return };
    let mut moments: Vec<(String, crate::moment::Moment, Position)> =
        vec![("ships".into(), date, r.position_of("date"))];
    if let Some(a) = r.announce.filter(|_| r.is_customer_facing()) {
        let at = r
            .positions
            .get("announce")
            .copied()
            .unwrap_or_else(|| r.position_of("date"));
        moments.push(("is announced".into(), a, at));
    }
    for n in &r.notifications {
        moments.push((
            format!("tells {}", group_name(config, &n.group)),
            n.when,
            list_position(r),
        ));
    }
    for (what, when, position) in moments {
        let day = when.local_date(r.timezone);
        if is_off_day(config, day) {
            let kind = if config.holidays.contains(&day) {
                "a holiday"
            } else {
                "a weekend"
            };
            out.push(finding(
                "off-day",
                r,
                position,
                format!("`{}` {what} on {}, {kind}", r.id, wording::day(day)),
                "move it to a working day; business-day offsets (`T-3b`) skip weekends and holidays".into(),
            ));
        }
    }
}

/// A breaking change: partners told by T-7d, and a docs gate.
fn breaking(config: &SiteConfig, r: &Release, out: &mut Vec<Diagnostic>) {
    if !r.breaking {
        return;
    }
    let Some(date) = r.date else { return };
    let at = r.position_of("breaking");
    let deadline = after(&date, Offset::days(-7), r, config);
    match r.notifications.iter().find(|n| n.group == "partners") {
        None => out.push(finding(
            "breaking-change-notice",
            r,
            at,
            format!("breaking change `{}` does not notify `partners`", r.id),
            "add `partners` to `stakeholders:` at T-7d or earlier, with the migration guide".into(),
        )),
        Some(n) if instant(&n.when, r) > deadline => out.push(finding(
            "breaking-change-notice",
            r,
            at,
            format!(
                "breaking change `{}` tells partners {}, later than T-7d",
                r.id,
                wording::moment(&n.when, r.timezone)
            ),
            "tell partners by T-7d: `{id: partners, at: T-10b}` under `stakeholders:`".into(),
        )),
        Some(_) => {}
    }
    if !r.gates.iter().any(|g| g.kind == GateKind::Docs) {
        out.push(finding(
            "breaking-change-notice",
            r,
            at,
            format!("breaking change `{}` has no docs gate", r.id),
            "add `{name: Migration guide published, kind: docs, due: T-2w}` under `gates:`".into(),
        ));
    }
}
