//! The history of the example site, as data: how Northwind's quarter got to
//! the plan in `content/` as of Monday 2026-11-23. Each step is one commit;
//! its edits say what changed, and `replay` undoes them from the example
//! backwards, so the last commit is always the example as this repository
//! has it. Between them the steps show every history feature at once:
//!
//! - slips: Fraud engine 2.0 and Scheduled exports (shipped late, so the
//!   on-time rate is not 100%), Payments API v3 twice, Reporting v2 and
//!   Multi-entity invoicing in one commit (Reporting v2 now `delayed`);
//! - late scope changes (within `late_change_days` of the ship date):
//!   Payment links' early-access share, Apple Pay's added team and milestone;
//! - a moved milestone (App 4.20's store submission), a removed one
//!   (Velocity limits' merchant beta) and a deleted release (Instant
//!   payouts), both within 30 days of 2026-11-23 so their tombstones show;
//! - releases added along the way (a patch, a hotfix, a January release).
//!
//! An edit quotes as little of the example as it can (one line, anchored at
//! its start and end); when the example changes under it, the unit test
//! below names the step to update.

use super::replay::{Edit, Step};

/// Path of a release file of the example.
macro_rules! release {
    ($name:literal) => {
        concat!("content/releases/", $name, ".md")
    };
}

const fn change(file: &'static str, from: &'static str, to: &'static str) -> Edit {
    Edit::Change { file, from, to }
}

const API_V3: &str = release!("2026-12-01-payments-api-v3");
const REPORTING: &str = release!("2027-01-13-reporting-v2");
const INVOICING: &str = release!("2027-01-20-multi-entity-invoicing");
const PAYMENT_LINKS: &str = release!("2026-11-17-payment-links");
const APPLE_PAY: &str = release!("2026-11-24-apple-pay-web");

/// The commits, oldest first.
pub const STEPS: &[Step] = &[
    Step {
        date: "2026-09-01T14:00:00Z",
        author: "Priya Raman",
        message: "Plan the fourth quarter: every release with owners, gates, rollout and who hears when",
        edits: &[],
    },
    Step {
        date: "2026-09-08T15:30:00Z",
        author: "Jonas Albrecht",
        message: "Fraud engine 2.0 one week later: shadow mode needs another week of parity data",
        edits: &[
            change(
                release!("2026-10-14-fraud-rules-engine-2"),
                "\ndate: 2026-10-07T10:00\n",
                "\ndate: 2026-10-14T10:00\n",
            ),
            change(
                release!("2026-10-14-fraud-rules-engine-2"),
                "\nannounce: 2026-10-12\n",
                "\nannounce: 2026-10-19\n",
            ),
        ],
    },
    Step {
        date: "2026-10-07T18:30:00Z",
        author: "Omar Haddad",
        message: "Saved filters and views shipped",
        edits: &[change(
            release!("2026-10-07-dashboard-saved-filters"),
            "\nstatus: planned\n",
            "\nstatus: shipped\n",
        )],
    },
    Step {
        date: "2026-10-14T17:00:00Z",
        author: "Jonas Albrecht",
        message: "Fraud rules engine 2.0 shipped: canary clean, 100% on Oct 16",
        edits: &[change(
            release!("2026-10-14-fraud-rules-engine-2"),
            "\nstatus: planned\n",
            "\nstatus: shipped\n",
        )],
    },
    Step {
        date: "2026-10-21T20:00:00Z",
        author: "Keiko Tanaka",
        message: "Northwind Tap shipped in both stores",
        edits: &[change(
            release!("2026-10-21-tap-to-pay"),
            "\nstatus: planned\n",
            "\nstatus: shipped\n",
        )],
    },
    Step {
        date: "2026-10-26T15:00:00Z",
        author: "Wei Chen",
        message: "Scheduled exports one week later: SFTP delivery failed against one merchant server",
        edits: &[change(
            release!("2026-11-05-scheduled-exports"),
            "\ndate: 2026-10-29\n",
            "\ndate: 2026-11-05\n",
        )],
    },
    Step {
        date: "2026-10-28T14:30:00Z",
        author: "Priya Raman",
        message: "Payments API v3 one week later: the 3x peak load test waits for the gateway upgrade",
        edits: &[
            change(
                API_V3,
                "\ndate: 2026-11-17T14:00\n",
                "\ndate: 2026-11-24T14:00\n",
            ),
            change(
                API_V3,
                "\nannounce: 2026-11-18\n",
                "\nannounce: 2026-11-25\n",
            ),
        ],
    },
    Step {
        date: "2026-10-29T16:00:00Z",
        author: "Keiko Tanaka",
        message: "Plan app 4.18.1: the Android card-reader crash cannot wait for 4.20",
        edits: &[Edit::Add(release!("2026-11-04-mobile-4-18-1"))],
    },
    Step {
        date: "2026-11-02T15:00:00Z",
        author: "Wei Chen",
        message: "Plan warehouse sync retries after six failed nightly syncs in October",
        edits: &[Edit::Add(release!("2026-11-12-warehouse-sync-retries"))],
    },
    Step {
        date: "2026-11-03T19:00:00Z",
        author: "Aisha Bello",
        message: "Pricing 2027 rolled back: 143 billing tickets in the first week",
        edits: &[change(
            release!("2026-10-27-pricing-2027-plans"),
            "\nstatus: planned\n",
            "\nstatus: rolled-back\n",
        )],
    },
    Step {
        date: "2026-11-04T17:00:00Z",
        author: "Dana Lee",
        message: "Plan smart retries for January, after the year-end freeze",
        edits: &[Edit::Add(release!("2027-01-12-smart-retries"))],
    },
    Step {
        date: "2026-11-05T18:00:00Z",
        author: "Wei Chen",
        message: "Scheduled exports shipped",
        edits: &[change(
            release!("2026-11-05-scheduled-exports"),
            "\nstatus: planned\n",
            "\nstatus: shipped\n",
        )],
    },
    Step {
        date: "2026-11-10T20:45:00Z",
        author: "Dana Lee",
        message: "Hotfix tonight: 3-D Secure challenges loop on Safari 18",
        edits: &[Edit::Add(release!("2026-11-10-3ds-challenge-loop"))],
    },
    Step {
        date: "2026-11-12T15:00:00Z",
        author: "Priya Raman",
        message: "Payments API v3 one more week: the SDK releases need the final error codes",
        edits: &[
            change(
                API_V3,
                "\ndate: 2026-11-24T14:00\n",
                "\ndate: 2026-12-01T14:00\n",
            ),
            change(
                API_V3,
                "\nannounce: 2026-11-25\n",
                "\nannounce: 2026-12-02\n",
            ),
        ],
    },
    Step {
        date: "2026-11-12T18:00:00Z",
        author: "Omar Haddad",
        message: "Payment links: open early access to 25% of merchants, the waitlist is bigger than planned",
        edits: &[change(PAYMENT_LINKS, "percent: 10\n", "percent: 25\n")],
    },
    Step {
        date: "2026-11-13T16:00:00Z",
        author: "Hannah Brooks",
        message: "Reporting v2 and multi-entity invoicing after the freeze: ledger parity is not ready",
        edits: &[
            change(REPORTING, "\ndate: 2026-12-15\n", "\ndate: 2027-01-13\n"),
            change(REPORTING, "\nstatus: planned\n", "\nstatus: delayed\n"),
            change(
                REPORTING,
                "\nannounce: 2026-12-17\n",
                "\nannounce: 2027-01-21\n",
            ),
            change(INVOICING, "\ndate: 2026-12-17\n", "\ndate: 2027-01-20\n"),
        ],
    },
    Step {
        date: "2026-11-16T15:00:00Z",
        author: "Jonas Albrecht",
        message: "Velocity limits: no separate merchant beta, the usability review covers it",
        edits: &[change(
            release!("2026-12-15-velocity-limits"),
            "milestones:\n  - {name: Merchant beta opens, at: T-3w}\n",
            "milestones:\n",
        )],
    },
    Step {
        date: "2026-11-17T21:00:00Z",
        author: "Omar Haddad",
        message: "Payment links shipped to early access",
        edits: &[change(
            PAYMENT_LINKS,
            "\nstatus: planned\n",
            "\nstatus: shipped\n",
        )],
    },
    Step {
        date: "2026-11-18T16:00:00Z",
        author: "Aisha Bello",
        message: "Remove instant payouts: the payout rails move to the pay-by-bank integration in 2027",
        edits: &[Edit::Delete {
            file: release!("2026-12-10-instant-payouts"),
            text: include_str!(
                "../../themes/default/scaffold/example/2026-12-10-instant-payouts.md"
            ),
        }],
    },
    Step {
        date: "2026-11-19T15:00:00Z",
        author: "Dana Lee",
        message: "Apple Pay on the web: Fraud joins for wallet tokens; go/no-go in the release channel",
        edits: &[
            change(APPLE_PAY, "\nteams: [web]\n", "\nteams: [web, fraud]\n"),
            change(
                APPLE_PAY,
                "",
                "  - {name: Go/no-go in release channel, at: T-2h}\n",
            ),
        ],
    },
    Step {
        date: "2026-11-19T17:00:00Z",
        author: "Keiko Tanaka",
        message: "App 4.20: store submission two days later, after the API v3 move",
        edits: &[change(
            release!("2026-12-03-mobile-4-20"),
            "{name: App Store and Play submission, date: 2026-11-23}",
            "{name: App Store and Play submission, date: 2026-11-25}",
        )],
    },
    Step {
        date: "2026-11-20T16:00:00Z",
        author: "Aisha Bello",
        message: "Northwind Capital cancelled: the lending partner withdrew",
        edits: &[change(
            release!("2027-01-26-northwind-capital"),
            "\nstatus: planned\n",
            "\nstatus: cancelled\n",
        )],
    },
];
