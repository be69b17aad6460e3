//! What needs doing this week, as plain data for the dashboard (SPEC §4.0):
//! stale releases, overdue gates with their owners, notifications due with
//! their `notified` state, and dependency risks.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::{GateStatus, NotifiedRecord};
use crate::content::release::{Gate, Notification};
use crate::diagnostic::Diagnostic;
use crate::timing::{deadline, instant, is_overdue, is_stale};

/// Rules whose findings are dependency risks.
pub const DEPENDENCY_RULES: [&str; 3] = [
    "dependency-order",
    "dependency-margin",
    "dependency-not-ready",
];

/// A notification of the coming days, or one past and not recorded.
#[derive(Debug, Serialize)]
pub struct NotificationDue<'a> {
    /// The release.
    #[serde(skip)]
    pub release: &'a Release,
    /// The planned notification.
    pub notification: &'a Notification,
    /// Its `notified:` record, if any.
    pub notified: Option<&'a NotifiedRecord>,
    /// Its time passed more than one business day ago with no record.
    pub overdue: bool,
}

/// What needs doing, each list in release order.
#[derive(Debug, Default)]
pub struct Triage<'a> {
    /// Releases whose date passed while their status says they are coming.
    pub stale: Vec<&'a Release>,
    /// Pending gates past their due date (each gate has its `owner`).
    pub overdue_gates: Vec<(&'a Release, &'a Gate)>,
    /// Notifications within `days` from now, and past ones not recorded.
    pub notifications_due: Vec<NotificationDue<'a>>,
    /// Findings of [`DEPENDENCY_RULES`].
    pub dependency_risks: Vec<&'a Diagnostic>,
}

/// Works out the triage lists at `now`, looking `days` ahead for notifications.
pub fn triage<'a>(
    releases: &'a [Arc<Release>],
    findings: &'a [Diagnostic],
    config: &SiteConfig,
    now: DateTime<Utc>,
    days: i64,
) -> Triage<'a> {
    let mut t = Triage::default();
    let horizon = now + Duration::days(days);
    for r in releases
        .iter()
        .filter(|r| r.status != crate::content::Status::Cancelled)
    {
        if is_stale(r, config, now) {
            t.stale.push(r);
        }
        if r.has_shipped() {
            continue;
        }
        t.overdue_gates.extend(
            r.gates
                .iter()
                .filter(|g| g.status == GateStatus::Pending)
                .filter(|g| g.due.is_some_and(|d| now > deadline(&d, r)))
                .map(|g| (r.as_ref(), g)),
        );
        for n in &r.notifications {
            let overdue = is_overdue(n, r, config, now);
            let at = instant(&n.when, r);
            let coming = at <= horizon && (at >= now || !r.notified.contains_key(&n.group));
            if overdue || coming {
                t.notifications_due.push(NotificationDue {
                    release: r,
                    notification: n,
                    notified: r.notified.get(&n.group).map(|l| &l.value),
                    overdue,
                });
            }
        }
    }
    t.dependency_risks = findings
        .iter()
        .filter(|d| DEPENDENCY_RULES.contains(&d.rule))
        .collect();
    t
}
