//! Metrics stage: success-criteria status and post-release aggregates (SPEC §4.2).

pub mod target;
