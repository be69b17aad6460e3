//! Shared proptest settings for the property tests.

use proptest::prelude::ProptestConfig;

/// `cases` per property, unless `PROPTEST_CASES` asks for more; no regression files.
pub fn cases(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
