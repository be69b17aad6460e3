//! Post-release metric targets (SPEC §4.2) and their status.
//!
//! A target is written `OP VALUE[unit]` (`>= 25%`, `< 250ms`, `<=3`), a measured
//! value `VALUE[unit]` (`31%`, `87`, `1.5s`). Time units are normalised to
//! milliseconds so `< 1s` and `900ms` compare; `%` only compares with `%` and
//! plain numbers only with plain numbers. Nothing here panics, whatever the input.

use std::fmt;

use serde::Serialize;

/// Tolerance for boundary comparisons on relative distances (so `25 * 1.2` counts as `30`).
const EPSILON: f64 = 1e-9;

/// The units a target or value may carry, as written.
const UNITS: &str = "`%`, `ms`, `s`, `m`, `h`, `d` or none";

/// Longest input quoted verbatim in an error message.
const QUOTE_MAX: usize = 40;

/// A comparison operator of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `<`: the value must stay strictly below the bound.
    Lt,
    /// `<=`: the value must not exceed the bound.
    Le,
    /// `>`: the value must be strictly above the bound.
    Gt,
    /// `>=`: the value must reach at least the bound.
    Ge,
}

impl Op {
    /// The operator as written in a target: `<`, `<=`, `>` or `>=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// Whether a larger value is better for this operator (`>`, `>=`).
    pub fn higher_is_better(self) -> bool {
        matches!(self, Op::Gt | Op::Ge)
    }

    /// Whether the bound itself fails the target (`<`, `>`).
    pub fn is_strict(self) -> bool {
        matches!(self, Op::Lt | Op::Gt)
    }

    /// Splits a leading operator off `s`, longest match first.
    fn split(s: &str) -> Option<(Op, &str)> {
        [("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)]
            .into_iter()
            .find_map(|(text, op)| s.strip_prefix(text).map(|rest| (op, rest)))
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The dimension of a quantity; only quantities of the same unit compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A plain number (`87`).
    None,
    /// A percentage (`31%`); the value is the number before `%`, so `31%` is `31.0`.
    Percent,
    /// A duration, normalised to milliseconds (`1.5s` is `1500.0`).
    Millis,
}

impl Unit {
    /// The normalised suffix: `""`, `"%"` or `"ms"`.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::None => "",
            Unit::Percent => "%",
            Unit::Millis => "ms",
        }
    }

    /// A phrase for messages: "a plain number", "a percentage" or "a duration".
    pub fn describe(self) -> &'static str {
        match self {
            Unit::None => "a plain number",
            Unit::Percent => "a percentage",
            Unit::Millis => "a duration",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.suffix())
    }
}

/// A time unit as written, kept so a duration prints back the way it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Milliseconds, `ms`.
    Ms,
    /// Seconds, `s`.
    S,
    /// Minutes, `m`.
    M,
    /// Hours, `h`.
    H,
    /// Days, `d`.
    D,
}

impl TimeUnit {
    /// How many milliseconds one of this unit is.
    pub fn millis(self) -> f64 {
        match self {
            TimeUnit::Ms => 1.0,
            TimeUnit::S => 1_000.0,
            TimeUnit::M => 60_000.0,
            TimeUnit::H => 3_600_000.0,
            TimeUnit::D => 86_400_000.0,
        }
    }

    /// The suffix as written: `ms`, `s`, `m`, `h` or `d`.
    pub fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Ms => "ms",
            TimeUnit::S => "s",
            TimeUnit::M => "m",
            TimeUnit::H => "h",
            TimeUnit::D => "d",
        }
    }
}

/// What was being parsed, so errors can say what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// A target, `OP VALUE[unit]`.
    Target,
    /// A measured value, `VALUE[unit]`.
    Value,
    /// A band such as `exceeded_by`, `20%` or `0.2`.
    Percent,
}

impl Syntax {
    /// How to write this kind of string correctly.
    fn hint(self) -> &'static str {
        match self {
            Syntax::Target => "write the target as `OP VALUE[unit]`, e.g. `>= 25%`",
            Syntax::Value => "write the value as `VALUE[unit]`, e.g. `31%`, `87` or `200ms`",
            Syntax::Percent => "write a percentage such as `20%`, or a fraction such as `0.2`",
        }
    }
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Syntax::Target => "target",
            Syntax::Value => "value",
            Syntax::Percent => "percentage",
        })
    }
}

/// Why a target, value or band could not be parsed or compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricError {
    /// The string was empty or only whitespace.
    #[error("the {what} is empty")]
    Empty {
        /// What was being parsed.
        what: Syntax,
    },
    /// A target did not start with `<`, `<=`, `>` or `>=`.
    #[error("target `{input}` does not start with a comparison operator")]
    MissingOp {
        /// The offending input (clipped).
        input: String,
    },
    /// A measured value started with a comparison operator.
    #[error("value `{input}` starts with the operator `{op}`, but a measured value has none")]
    UnexpectedOp {
        /// The offending input (clipped).
        input: String,
        /// The operator found.
        op: Op,
    },
    /// No number where one was expected.
    #[error("{what} `{input}` has no number")]
    MissingNumber {
        /// What was being parsed.
        what: Syntax,
        /// The offending input (clipped).
        input: String,
    },
    /// The number is followed by a unit this module does not know.
    #[error("{what} `{input}` has an unknown unit `{unit}` (known: {UNITS})")]
    UnknownUnit {
        /// What was being parsed.
        what: Syntax,
        /// The offending input (clipped).
        input: String,
        /// The unknown unit (clipped).
        unit: String,
    },
    /// The number is too large (or otherwise not finite) once converted.
    #[error("{what} `{input}` is not a finite number")]
    NotFinite {
        /// What was being parsed.
        what: Syntax,
        /// The offending input (clipped).
        input: String,
    },
    /// Text left over after the number and unit.
    #[error("{what} `{input}` has unexpected text `{rest}` after the number")]
    TrailingGarbage {
        /// What was being parsed.
        what: Syntax,
        /// The offending input (clipped).
        input: String,
        /// The leftover text (clipped).
        rest: String,
    },
    /// A band (`exceeded_by`, `close_within`) that is negative or ambiguous.
    #[error("percentage `{input}` {reason}")]
    InvalidPercent {
        /// The offending input (clipped).
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The actual value and the target have different units.
    #[error(
        "cannot compare `{actual}` ({}) with target `{target}` ({})",
        actual_unit.describe(),
        target_unit.describe()
    )]
    UnitMismatch {
        /// The target, normalised.
        target: String,
        /// The actual value, normalised.
        actual: String,
        /// The target's unit.
        target_unit: Unit,
        /// The actual value's unit.
        actual_unit: Unit,
    },
}

impl MetricError {
    /// What the user should write instead; one sentence, no trailing period.
    pub fn hint(&self) -> &'static str {
        match self {
            MetricError::Empty { what }
            | MetricError::MissingNumber { what, .. }
            | MetricError::TrailingGarbage { what, .. } => what.hint(),
            MetricError::MissingOp { input } => {
                if input.contains(['≥', '≤', '≠', '=']) {
                    "use the ASCII operators `<`, `<=`, `>` or `>=` (with `=` second), e.g. `>= 25%`"
                } else {
                    "start the target with `<`, `<=`, `>` or `>=`, e.g. `>= 25%`"
                }
            }
            MetricError::UnexpectedOp { .. } => {
                "write a measured value without an operator, e.g. `31%`; only targets and alerts have one"
            }
            MetricError::UnknownUnit { .. } => {
                "use one of the units `%`, `ms`, `s`, `m`, `h`, `d`, or none, e.g. `< 250ms`"
            }
            MetricError::NotFinite { .. } => {
                "use an ordinary decimal number such as `99.9` (no exponents, at most about 1e300)"
            }
            MetricError::InvalidPercent { .. } => Syntax::Percent.hint(),
            MetricError::UnitMismatch { target_unit, .. } => match target_unit {
                Unit::Percent => "write the actual with `%`, like the target, e.g. `31%`",
                Unit::Millis => {
                    "write the actual with a time unit (`ms`, `s`, `m`, `h`, `d`), like the target, e.g. `200ms`"
                }
                Unit::None => "write the actual as a plain number without a unit, like the target",
            },
        }
    }
}

/// A number with a unit; durations are held in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    /// The number: as written for `%` and plain numbers, in milliseconds for durations.
    pub value: f64,
    /// The dimension, which decides what this compares with.
    pub unit: Unit,
    /// For durations, the unit it was written in (display only); `None` prints milliseconds.
    pub display_unit: Option<TimeUnit>,
}

impl Quantity {
    /// A quantity from a value already in the unit's base (milliseconds for durations).
    pub fn new(value: f64, unit: Unit) -> Self {
        Quantity {
            value,
            unit,
            display_unit: None,
        }
    }

    /// Parses a measured value `VALUE[unit]` such as `31%`, `87`, `200ms`, `1.5s`.
    pub fn parse(input: &str) -> Result<Quantity, MetricError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(MetricError::Empty {
                what: Syntax::Value,
            });
        }
        if let Some((op, _)) = Op::split(s) {
            return Err(MetricError::UnexpectedOp { input: clip(s), op });
        }
        parse_quantity(s, s, Syntax::Value)
    }

    /// Whether this quantity compares with `other` (same unit).
    pub fn is_comparable(&self, other: &Quantity) -> bool {
        self.unit == other.unit
    }
}

/// Equal when value and unit are equal; `1s` equals `1000ms`.
impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value && self.unit == other.unit
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.unit, self.display_unit) {
            (Unit::Millis, Some(tu)) => {
                write!(f, "{}{}", shortest(self.value, tu.millis()), tu.suffix())
            }
            (unit, _) => write!(f, "{}{}", tidy(self.value), unit.suffix()),
        }
    }
}

/// A target `OP VALUE[unit]`: the operator and the bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// How the actual value must compare with the bound.
    pub op: Op,
    /// The bound the actual value is compared with.
    pub bound: Quantity,
}

impl Target {
    /// Parses a target such as `>= 25%`, `< 250ms`, `<=3` or `> 400ms`.
    pub fn parse(input: &str) -> Result<Target, MetricError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(MetricError::Empty {
                what: Syntax::Target,
            });
        }
        let Some((op, rest)) = Op::split(s) else {
            return Err(MetricError::MissingOp { input: clip(s) });
        };
        let bound = parse_quantity(rest.trim_start(), s, Syntax::Target)?;
        Ok(Target { op, bound })
    }

    /// Whether `q` satisfies the target; `false` when the units differ or `q` is not finite.
    pub fn is_met(&self, q: &Quantity) -> bool {
        match self.compare(q) {
            Ok(cmp) => cmp.meets(self.op),
            Err(_) => false,
        }
    }

    /// The status of a metric with this target, given its actual value (if any) and the bands.
    pub fn status(
        &self,
        actual: Option<&Quantity>,
        bands: &Bands,
    ) -> Result<MetricStatus, MetricError> {
        let Some(actual) = actual else {
            return Ok(MetricStatus::Pending);
        };
        let cmp = self.compare(actual)?;
        Ok(if cmp.meets(self.op) {
            if cmp.relative > bands.exceeded_by + EPSILON {
                MetricStatus::Exceeded
            } else {
                MetricStatus::Met
            }
        } else if cmp.relative <= bands.close_within + EPSILON {
            MetricStatus::Close
        } else {
            MetricStatus::Missed
        })
    }

    /// Checks units and finiteness, then measures how far `actual` is from the bound.
    fn compare(&self, actual: &Quantity) -> Result<Comparison, MetricError> {
        if !self.bound.value.is_finite() {
            return Err(MetricError::NotFinite {
                what: Syntax::Target,
                input: clip(&self.to_string()),
            });
        }
        if !actual.value.is_finite() {
            return Err(MetricError::NotFinite {
                what: Syntax::Value,
                input: clip(&actual.to_string()),
            });
        }
        if !self.bound.is_comparable(actual) {
            return Err(MetricError::UnitMismatch {
                target: clip(&self.to_string()),
                actual: clip(&actual.to_string()),
                target_unit: self.bound.unit,
                actual_unit: actual.unit,
            });
        }
        let bound = self.bound.value;
        let margin = if self.op.higher_is_better() {
            actual.value - bound
        } else {
            bound - actual.value
        };
        let scale = if bound == 0.0 { 1.0 } else { bound.abs() };
        Ok(Comparison {
            better: margin > 0.0,
            relative: margin.abs() / scale,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op, self.bound)
    }
}

/// Where an actual value lies relative to a bound.
struct Comparison {
    /// The actual value is on the good side of the bound.
    better: bool,
    /// |actual − bound| / |bound| (absolute difference when the bound is 0); may be infinite.
    relative: f64,
}

impl Comparison {
    /// Whether the actual value satisfies `op`; values within [`EPSILON`] count as equal.
    fn meets(&self, op: Op) -> bool {
        let equal = self.relative <= EPSILON;
        if equal { !op.is_strict() } else { self.better }
    }
}

/// The status of a post-release metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricStatus {
    /// No actual value yet.
    Pending,
    /// Meets the target and beats it by more than `exceeded_by`.
    Exceeded,
    /// Meets the target.
    Met,
    /// Misses the target by at most `close_within`.
    Close,
    /// Misses the target by more than `close_within`.
    Missed,
}

impl MetricStatus {
    /// The human label: "Pending", "Exceeded", "Met", "Close" or "Missed".
    pub fn label(&self) -> &'static str {
        match self {
            MetricStatus::Pending => "Pending",
            MetricStatus::Exceeded => "Exceeded",
            MetricStatus::Met => "Met",
            MetricStatus::Close => "Close",
            MetricStatus::Missed => "Missed",
        }
    }
}

impl fmt::Display for MetricStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The `metrics:` bands of `shipdate.yaml`, as fractions of the target value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    /// Beating the target by more than this fraction is `Exceeded` [0.2].
    pub exceeded_by: f64,
    /// Missing the target by at most this fraction is `Close` [0.2].
    pub close_within: f64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            exceeded_by: 0.2,
            close_within: 0.2,
        }
    }
}

/// Parses a band: `"20%"` is 0.2; a bare number is a fraction and must be at most 1 (`"0.2"`).
pub fn parse_percent(input: &str) -> Result<f64, MetricError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(MetricError::Empty {
            what: Syntax::Percent,
        });
    }
    let q = parse_quantity(s, s, Syntax::Percent)?;
    let fraction = match q.unit {
        Unit::Percent => q.value / 100.0,
        Unit::None if q.value > 1.0 => {
            return Err(MetricError::InvalidPercent {
                input: clip(s),
                reason: "is more than 1: a bare number is a fraction (write `20%` or `0.2` for twenty percent)",
            });
        }
        Unit::None => q.value,
        Unit::Millis => {
            return Err(MetricError::InvalidPercent {
                input: clip(s),
                reason: "is a duration, not a percentage",
            });
        }
    };
    if fraction < 0.0 {
        return Err(MetricError::InvalidPercent {
            input: clip(s),
            reason: "is negative",
        });
    }
    Ok(fraction)
}

/// Parses `VALUE[unit]` from `s` (already trimmed at the start); `whole` is quoted in errors.
fn parse_quantity(s: &str, whole: &str, what: Syntax) -> Result<Quantity, MetricError> {
    let len = number_len(s);
    if len == 0 {
        return Err(MetricError::MissingNumber {
            what,
            input: clip(whole),
        });
    }
    // `number_len` only advances over ASCII bytes, so `len` is a char boundary.
    let (number, rest) = s.split_at(len);
    let value: f64 = number.parse().map_err(|_| MetricError::MissingNumber {
        what,
        input: clip(whole),
    })?;
    let rest = rest.trim_start();
    let unit_len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '%'))
        .map_or(rest.len(), |(i, _)| i);
    let (unit_text, tail) = rest.split_at(unit_len);
    let tail = tail.trim();
    if unit_text.is_empty() && !tail.is_empty() {
        return Err(MetricError::TrailingGarbage {
            what,
            input: clip(whole),
            rest: clip(tail),
        });
    }
    let (unit, display_unit) = match unit_text {
        "" => (Unit::None, None),
        "%" => (Unit::Percent, None),
        "ms" => (Unit::Millis, Some(TimeUnit::Ms)),
        "s" => (Unit::Millis, Some(TimeUnit::S)),
        "m" => (Unit::Millis, Some(TimeUnit::M)),
        "h" => (Unit::Millis, Some(TimeUnit::H)),
        "d" => (Unit::Millis, Some(TimeUnit::D)),
        other => {
            return Err(MetricError::UnknownUnit {
                what,
                input: clip(whole),
                unit: clip(other),
            });
        }
    };
    if !tail.is_empty() {
        return Err(MetricError::TrailingGarbage {
            what,
            input: clip(whole),
            rest: clip(tail),
        });
    }
    let factor = display_unit.map_or(1.0, TimeUnit::millis);
    // `+ 0.0` turns `-0` into `0` so it prints without a sign.
    let value = value * factor + 0.0;
    if !value.is_finite() {
        return Err(MetricError::NotFinite {
            what,
            input: clip(whole),
        });
    }
    Ok(Quantity {
        value,
        unit,
        display_unit,
    })
}

/// Length in bytes of the decimal number at the start of `s`: `[+-]?(D+(.D+)?|.D+)`, else 0.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let digits_from = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int = digits_from(i);
    i += int;
    if b.get(i) == Some(&b'.') {
        let frac = digits_from(i + 1);
        if frac > 0 {
            return i + 1 + frac;
        }
    }
    if int == 0 { 0 } else { i }
}

/// Formats a number without a `-0`; Rust's `{}` for `f64` never uses exponents.
fn tidy(value: f64) -> String {
    format!("{}", value + 0.0)
}

/// The shortest decimal `x` with `x * factor == millis`, so a duration re-parses to the same value.
fn shortest(millis: f64, factor: f64) -> String {
    let scaled = millis / factor;
    (0..=17)
        .map(|places| format!("{:.*}", places, scaled + 0.0))
        .find(|text| {
            text.parse::<f64>()
                .is_ok_and(|x| x * factor + 0.0 == millis)
        })
        .unwrap_or_else(|| tidy(scaled))
}

/// `s` for an error message, cut to [`QUOTE_MAX`] characters.
fn clip(s: &str) -> String {
    match s.char_indices().nth(QUOTE_MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Target {
        Target::parse(s).unwrap_or_else(|e| panic!("target {s:?}: {e}"))
    }

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("value {s:?}: {e}"))
    }

    fn status(target: &str, actual: &str) -> MetricStatus {
        t(target)
            .status(Some(&q(actual)), &Bands::default())
            .unwrap_or_else(|e| panic!("{target:?} vs {actual:?}: {e}"))
    }

    use MetricStatus::*;

    /// Recognises the expected error variant.
    type ErrorCheck = fn(&MetricError) -> bool;

    // --- the worked examples of SPEC §4.2 ---

    #[test]
    fn worked_example_adoption_exceeded() {
        assert_eq!(status(">= 25%", "31%"), Exceeded);
    }

    #[test]
    fn worked_example_nps_close() {
        assert_eq!(status(">= 10", "8"), Close);
    }

    #[test]
    fn worked_example_support_tickets_met() {
        assert_eq!(status("< 100", "87"), Met);
    }

    // --- parsing targets ---

    #[test]
    fn parses_every_operator() {
        for (s, op) in [
            ("< 1", Op::Lt),
            ("<= 1", Op::Le),
            ("> 1", Op::Gt),
            (">= 1", Op::Ge),
            ("<1", Op::Lt),
            ("<=1", Op::Le),
            (">1", Op::Gt),
            (">=1", Op::Ge),
            ("  >=   1  ", Op::Ge),
            (">=\t1", Op::Ge),
        ] {
            let target = t(s);
            assert_eq!(target.op, op, "{s}");
            assert_eq!(target.bound, Quantity::new(1.0, Unit::None), "{s}");
        }
    }

    #[test]
    fn parses_every_unit() {
        for (s, value, unit) in [
            ("< 3", 3.0, Unit::None),
            ("< 25%", 25.0, Unit::Percent),
            ("< 250ms", 250.0, Unit::Millis),
            ("< 2s", 2_000.0, Unit::Millis),
            ("< 5m", 300_000.0, Unit::Millis),
            ("< 2h", 7_200_000.0, Unit::Millis),
            ("< 1d", 86_400_000.0, Unit::Millis),
            ("< 1.5s", 1_500.0, Unit::Millis),
            ("< 250 ms", 250.0, Unit::Millis),
            ("< 25 %", 25.0, Unit::Percent),
        ] {
            assert_eq!(t(s).bound, Quantity::new(value, unit), "{s}");
        }
    }

    #[test]
    fn parses_spec_examples() {
        assert_eq!(t(">= 25%").to_string(), ">= 25%");
        assert_eq!(t("< 250ms").to_string(), "< 250ms");
        assert_eq!(t("<=3").to_string(), "<= 3");
        assert_eq!(t("> 400ms").to_string(), "> 400ms");
        assert_eq!(t(">= 99.9%").bound.value, 99.9);
    }

    #[test]
    fn parses_negative_and_fractional_numbers() {
        assert_eq!(t("> -5").bound.value, -5.0);
        assert_eq!(t(">= -0.25%").bound.value, -0.25);
        assert_eq!(t("<= .5").bound.value, 0.5);
        assert_eq!(t("<= +2").bound.value, 2.0);
        assert_eq!(t("< 007").bound.value, 7.0);
        assert_eq!(t("> -0").to_string(), "> 0");
    }

    #[test]
    fn display_normalises_and_keeps_time_unit() {
        for (input, shown) in [
            (">=25%", ">= 25%"),
            ("<  250ms", "< 250ms"),
            ("< 1.5s", "< 1.5s"),
            ("< 0.3s", "< 0.3s"),
            ("< 0.1h", "< 0.1h"),
            ("<= 2.675h", "<= 2.675h"),
            ("< 5m", "< 5m"),
            ("< 1d", "< 1d"),
            ("> 1.50", "> 1.5"),
            ("> 99.90 %", "> 99.9%"),
        ] {
            let target = t(input);
            assert_eq!(target.to_string(), shown, "{input}");
            assert_eq!(t(&target.to_string()), target, "{input} round trip");
        }
        assert_eq!(Quantity::new(1_500.0, Unit::Millis).to_string(), "1500ms");
        assert_eq!(q("1.5s").to_string(), "1.5s");
        assert_eq!(q("87").to_string(), "87");
    }

    #[test]
    fn rejects_malformed_targets() {
        let cases: [(&str, ErrorCheck); 17] = [
            ("", |e| {
                matches!(
                    e,
                    MetricError::Empty {
                        what: Syntax::Target
                    }
                )
            }),
            ("   ", |e| matches!(e, MetricError::Empty { .. })),
            ("25%", |e| matches!(e, MetricError::MissingOp { .. })),
            ("=> 25%", |e| matches!(e, MetricError::MissingOp { .. })),
            ("== 25", |e| matches!(e, MetricError::MissingOp { .. })),
            ("≥ 25%", |e| matches!(e, MetricError::MissingOp { .. })),
            (">=", |e| matches!(e, MetricError::MissingNumber { .. })),
            (">= %", |e| matches!(e, MetricError::MissingNumber { .. })),
            ("<< 5", |e| matches!(e, MetricError::MissingNumber { .. })),
            ("< - 5", |e| matches!(e, MetricError::MissingNumber { .. })),
            ("< NaN", |e| matches!(e, MetricError::MissingNumber { .. })),
            ("< inf", |e| matches!(e, MetricError::MissingNumber { .. })),
            (
                "< 5 parsecs",
                |e| matches!(e, MetricError::UnknownUnit { unit, .. } if unit == "parsecs"),
            ),
            ("< 5MS", |e| matches!(e, MetricError::UnknownUnit { .. })),
            ("< 1e5", |e| matches!(e, MetricError::UnknownUnit { .. })),
            (
                "< 5% extra",
                |e| matches!(e, MetricError::TrailingGarbage { rest, .. } if rest == "extra"),
            ),
            ("< 5.5.5", |e| {
                matches!(e, MetricError::TrailingGarbage { .. })
            }),
        ];
        for (input, expected) in cases {
            match Target::parse(input) {
                Ok(target) => panic!("{input:?} parsed as {target}"),
                Err(e) => {
                    assert!(expected(&e), "{input:?} gave {e:?}");
                    assert!(!e.to_string().is_empty() && !e.hint().is_empty());
                }
            }
        }
    }

    #[test]
    fn rejects_non_finite_numbers() {
        let huge = format!("< {}", "9".repeat(400));
        assert!(matches!(
            Target::parse(&huge),
            Err(MetricError::NotFinite { .. })
        ));
        // Finite as a number of days, infinite in milliseconds.
        let days = format!("< {}d", "9".repeat(305));
        assert!(matches!(
            Target::parse(&days),
            Err(MetricError::NotFinite { .. })
        ));
        let nan = Quantity::new(f64::NAN, Unit::None);
        assert!(matches!(
            t("< 1").status(Some(&nan), &Bands::default()),
            Err(MetricError::NotFinite { .. })
        ));
        assert!(!t("< 1").is_met(&nan));
        let inf_target = Target {
            op: Op::Lt,
            bound: Quantity::new(f64::INFINITY, Unit::None),
        };
        assert!(inf_target.status(Some(&q("1")), &Bands::default()).is_err());
    }

    #[test]
    fn error_messages_and_hints() {
        let e = Target::parse("25%").unwrap_err();
        assert_eq!(
            e.to_string(),
            "target `25%` does not start with a comparison operator"
        );
        assert!(e.hint().contains("`>= 25%`"));
        let e = Target::parse("").unwrap_err();
        assert_eq!(
            e.hint(),
            "write the target as `OP VALUE[unit]`, e.g. `>= 25%`"
        );
        let e = Target::parse("=> 25%").unwrap_err();
        assert!(e.hint().contains("with `=` second"));
        let e = Target::parse("< 5 parsecs").unwrap_err();
        assert!(e.to_string().contains("unknown unit `parsecs`"), "{e}");
        assert!(e.hint().contains("`ms`"));
        let long = format!("< 5 {}", "x".repeat(500));
        let e = Target::parse(&long).unwrap_err();
        assert!(e.to_string().chars().count() < 200, "{e}");
    }

    // --- parsing values ---

    #[test]
    fn parses_values() {
        assert_eq!(q("31%"), Quantity::new(31.0, Unit::Percent));
        assert_eq!(q("87"), Quantity::new(87.0, Unit::None));
        assert_eq!(q("200ms"), Quantity::new(200.0, Unit::Millis));
        assert_eq!(q("1.5s"), Quantity::new(1_500.0, Unit::Millis));
        assert_eq!(q("5m"), Quantity::new(300_000.0, Unit::Millis));
        assert_eq!(q(" -3.25 "), Quantity::new(-3.25, Unit::None));
        assert_eq!(q("1s"), q("1000ms"));
    }

    #[test]
    fn rejects_malformed_values() {
        assert!(matches!(
            Quantity::parse(""),
            Err(MetricError::Empty {
                what: Syntax::Value
            })
        ));
        let e = Quantity::parse("> 400ms").unwrap_err();
        assert!(
            matches!(e, MetricError::UnexpectedOp { op: Op::Gt, .. }),
            "{e:?}"
        );
        assert!(matches!(
            Quantity::parse("fast"),
            Err(MetricError::MissingNumber { .. })
        ));
        assert!(matches!(
            Quantity::parse("5 parsecs"),
            Err(MetricError::UnknownUnit { .. })
        ));
        assert!(matches!(
            Quantity::parse("5ms ago"),
            Err(MetricError::TrailingGarbage { .. })
        ));
    }

    // --- units ---

    #[test]
    fn time_units_compare_in_millis() {
        assert!(t("< 1s").is_met(&q("900ms")));
        assert!(!t("< 1s").is_met(&q("1000ms")));
        assert!(t("<= 1s").is_met(&q("1000ms")));
        assert!(t("< 1h").is_met(&q("59m")));
        assert!(t("> 1d").is_met(&q("25h")));
        assert!(t("<= 0.3s").is_met(&q("300ms")));
        assert_eq!(status("< 1s", "900ms"), Met);
        assert_eq!(status("< 2m", "90s"), Exceeded);
    }

    #[test]
    fn unit_mismatch_is_an_error() {
        for (target, actual) in [
            (">= 25%", "31"),
            (">= 25", "31%"),
            ("< 250ms", "200"),
            ("< 250ms", "20%"),
            ("< 100", "87ms"),
        ] {
            let e = t(target)
                .status(Some(&q(actual)), &Bands::default())
                .unwrap_err();
            assert!(matches!(e, MetricError::UnitMismatch { .. }), "{e:?}");
            assert!(!t(target).is_met(&q(actual)));
        }
        let e = t(">= 25%")
            .status(Some(&q("31")), &Bands::default())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot compare `31` (a plain number) with target `>= 25%` (a percentage)"
        );
        assert_eq!(
            e.hint(),
            "write the actual with `%`, like the target, e.g. `31%`"
        );
    }

    #[test]
    fn pending_without_actual_even_if_units_would_differ() {
        assert_eq!(t(">= 25%").status(None, &Bands::default()), Ok(Pending));
    }

    // --- is_met per operator ---

    #[test]
    fn is_met_every_operator() {
        let ten = q("10");
        let cases = [
            ("< 10", [true, false, false]),
            ("<= 10", [true, true, false]),
            ("> 10", [false, false, true]),
            (">= 10", [false, true, true]),
        ];
        for (target, expected) in cases {
            for (actual, want) in [q("9"), ten, q("11")].iter().zip(expected) {
                assert_eq!(t(target).is_met(actual), want, "{target} vs {actual}");
            }
        }
    }

    // --- status boundaries, per operator ---

    #[test]
    fn status_at_target() {
        assert_eq!(status(">= 25%", "25%"), Met);
        assert_eq!(status("<= 100", "100"), Met);
        // Strict targets miss by 0 at the bound, which is within `close_within`.
        assert_eq!(status("< 100", "100"), Close);
        assert_eq!(status("> 100", "100"), Close);
        let no_close = Bands {
            exceeded_by: 0.2,
            close_within: -1.0,
        };
        assert_eq!(t("< 100").status(Some(&q("100")), &no_close), Ok(Missed));
    }

    #[test]
    fn status_exceeded_boundary_higher_is_better() {
        // 25 * 1.2 == 30.000000000000004 in f64: still exactly at the band.
        let at_band = Quantity::new(25.0 * 1.2, Unit::Percent);
        let bands = Bands::default();
        assert_eq!(t(">= 25%").status(Some(&at_band), &bands), Ok(Met));
        assert_eq!(status(">= 25%", "30%"), Met);
        assert_eq!(status(">= 25%", "30.01%"), Exceeded);
        assert_eq!(status("> 25%", "30%"), Met);
        assert_eq!(status("> 25%", "30.01%"), Exceeded);
        assert_eq!(status("> 25%", "25.01%"), Met);
    }

    #[test]
    fn status_exceeded_boundary_lower_is_better() {
        assert_eq!(status("< 100", "80"), Met);
        assert_eq!(status("< 100", "79.99"), Exceeded);
        assert_eq!(status("<= 250ms", "200ms"), Met);
        assert_eq!(status("<= 250ms", "199ms"), Exceeded);
        assert_eq!(status("<= 0.25s", "0.2s"), Met);
    }

    #[test]
    fn status_close_boundary_higher_is_better() {
        assert_eq!(status(">= 10", "8"), Close);
        assert_eq!(status(">= 10", "7.99"), Missed);
        assert_eq!(status("> 10", "8"), Close);
        assert_eq!(status("> 10", "7.99"), Missed);
        assert_eq!(status(">= 10", "9.99"), Close);
        let at_band = Quantity::new(10.0 * 0.8, Unit::None);
        let bands = Bands::default();
        assert_eq!(t(">= 10").status(Some(&at_band), &bands), Ok(Close));
    }

    #[test]
    fn status_close_boundary_lower_is_better() {
        assert_eq!(status("< 100", "120"), Close);
        assert_eq!(status("< 100", "120.01"), Missed);
        assert_eq!(status("<= 250ms", "300ms"), Close);
        assert_eq!(status("<= 250ms", "301ms"), Missed);
        assert_eq!(status("< 1s", "1.2s"), Close);
        assert_eq!(status("< 1s", "1.3s"), Missed);
    }

    #[test]
    fn status_with_custom_bands() {
        let bands = Bands {
            exceeded_by: 0.5,
            close_within: 0.1,
        };
        let s = |target: &str, actual: &str| t(target).status(Some(&q(actual)), &bands);
        assert_eq!(s(">= 10", "15"), Ok(Met));
        assert_eq!(s(">= 10", "15.1"), Ok(Exceeded));
        assert_eq!(s(">= 10", "9"), Ok(Close));
        assert_eq!(s(">= 10", "8.9"), Ok(Missed));
        let zero = Bands {
            exceeded_by: 0.0,
            close_within: 0.0,
        };
        assert_eq!(t(">= 10").status(Some(&q("10")), &zero), Ok(Met));
        assert_eq!(t(">= 10").status(Some(&q("10.01")), &zero), Ok(Exceeded));
        assert_eq!(t("> 10").status(Some(&q("10")), &zero), Ok(Close));
        assert_eq!(t(">= 10").status(Some(&q("9.99")), &zero), Ok(Missed));
    }

    #[test]
    fn status_with_zero_target_uses_absolute_difference() {
        assert_eq!(status("<= 0", "0"), Met);
        assert_eq!(status("<= 0", "0.2"), Close);
        assert_eq!(status("<= 0", "0.21"), Missed);
        assert_eq!(status("< 0%", "0%"), Close);
        assert_eq!(status(">= 0", "0.2"), Met);
        assert_eq!(status(">= 0", "0.21"), Exceeded);
    }

    #[test]
    fn status_with_negative_target_uses_magnitude() {
        // Beats -10 by 3, i.e. by 30% of |-10|.
        assert_eq!(status(">= -10", "-7"), Exceeded);
        assert_eq!(status(">= -10", "-12"), Close);
        assert_eq!(status(">= -10", "-13"), Missed);
        assert_eq!(status("<= -10", "-12"), Met);
    }

    #[test]
    fn status_labels_and_serialisation() {
        let all = [Pending, Exceeded, Met, Close, Missed];
        let labels: Vec<_> = all.iter().map(MetricStatus::label).collect();
        assert_eq!(labels, ["Pending", "Exceeded", "Met", "Close", "Missed"]);
        assert_eq!(Exceeded.to_string(), "Exceeded");
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(json, r#"["pending","exceeded","met","close","missed"]"#);
    }

    // --- bands ---

    #[test]
    fn bands_default() {
        assert_eq!(
            Bands::default(),
            Bands {
                exceeded_by: 0.2,
                close_within: 0.2
            }
        );
    }

    #[test]
    fn parse_percent_accepts_percent_and_fractions() {
        assert_eq!(parse_percent("20%"), Ok(0.2));
        assert_eq!(parse_percent(" 20 % "), Ok(0.2));
        assert_eq!(parse_percent("0.2"), Ok(0.2));
        assert_eq!(parse_percent("1"), Ok(1.0));
        assert_eq!(parse_percent("0"), Ok(0.0));
        assert_eq!(parse_percent("150%"), Ok(1.5));
        assert_eq!(parse_percent("12.5%"), Ok(0.125));
    }

    #[test]
    fn parse_percent_rejects_bad_bands() {
        for input in ["20", "1.01", "-5%", "-0.1", "5ms"] {
            let e = parse_percent(input).unwrap_err();
            assert!(
                matches!(e, MetricError::InvalidPercent { .. }),
                "{input}: {e:?}"
            );
            assert!(e.hint().contains("`20%`"));
        }
        assert!(matches!(
            parse_percent(""),
            Err(MetricError::Empty {
                what: Syntax::Percent
            })
        ));
        assert!(matches!(
            parse_percent(">= 20%"),
            Err(MetricError::MissingNumber { .. })
        ));
        assert!(matches!(
            parse_percent("20 percent"),
            Err(MetricError::UnknownUnit { .. })
        ));
        assert!(parse_percent("twenty").is_err());
    }

    // --- robustness ---

    /// Odd inputs: punctuation pairs and triples, unicode, long digit strings.
    fn odd_inputs() -> Vec<String> {
        let punct: Vec<char> = (0x21u8..=0x7e)
            .map(char::from)
            .filter(char::is_ascii_punctuation)
            .collect();
        let mut out: Vec<String> = Vec::new();
        for a in &punct {
            out.push(a.to_string());
            for b in &punct {
                out.push(format!("{a}{b}"));
                out.push(format!("<{a}5{b}"));
            }
        }
        for prefix in ["", "<", ">=", "< ", "<=-", "> ."] {
            for body in [
                "9".repeat(400),
                format!("0.{}", "0".repeat(400)),
                format!("1{}d", "0".repeat(300)),
                format!("{}.{}", "1".repeat(5_000), "1".repeat(5_000)),
                format!("0.{}1ms", "0".repeat(330)),
                "-".repeat(100),
                ".".repeat(100),
                "%".repeat(100),
                "1.".to_string(),
                ".".to_string(),
                "-.".to_string(),
                "+-1".to_string(),
                "--1".to_string(),
                "1..2".to_string(),
                "5\u{301}".to_string(),
                "٣".to_string(),
                "５".to_string(),
                "5 ㎳".to_string(),
                "5µs".to_string(),
                "5\u{0}".to_string(),
                "\u{0}".to_string(),
                "5\u{a0}ms".to_string(),
                "\u{a0}5".to_string(),
                "5 🚀".to_string(),
                "🚀".repeat(50),
                "5%\u{200b}".to_string(),
                "\u{202e}5%".to_string(),
                "NaN".to_string(),
                "-inf".to_string(),
                "1e308".to_string(),
                "0x10".to_string(),
                "1_000".to_string(),
                "1,5".to_string(),
                "ms".to_string(),
                "5msms".to_string(),
                "5 m s".to_string(),
                "ä".repeat(100),
            ] {
                out.push(format!("{prefix}{body}"));
            }
        }
        out
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = odd_inputs();
        assert!(inputs.len() > 300, "{}", inputs.len());
        let values = [q("0"), q("-1"), q("1s"), q("0%"), q("1ms")];
        for input in &inputs {
            let outcome = std::panic::catch_unwind(|| {
                if let Ok(target) = Target::parse(input) {
                    // Whatever parses prints back to something that parses to the same target.
                    let shown = target.to_string();
                    assert_eq!(Target::parse(&shown).ok(), Some(target), "{shown}");
                    for v in &values {
                        let _ = target.status(Some(v), &Bands::default());
                        let _ = target.is_met(v);
                    }
                }
                if let Ok(value) = Quantity::parse(input) {
                    assert_eq!(Quantity::parse(&value.to_string()).ok(), Some(value));
                }
                if let Err(e) = Quantity::parse(input) {
                    let _ = (e.to_string(), e.hint());
                }
                if let Err(e) = Target::parse(input) {
                    let _ = (e.to_string(), e.hint());
                }
                let _ = parse_percent(input);
            });
            assert!(outcome.is_ok(), "panicked on {input:?}");
        }
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let big = Quantity::new(f64::MAX, Unit::None);
        let small = Quantity::new(-f64::MAX, Unit::None);
        let target = Target {
            op: Op::Ge,
            bound: Quantity::new(f64::MAX, Unit::None),
        };
        assert_eq!(target.status(Some(&small), &Bands::default()), Ok(Missed));
        assert_eq!(target.status(Some(&big), &Bands::default()), Ok(Met));
        let tiny = Target {
            op: Op::Ge,
            bound: Quantity::new(f64::MIN_POSITIVE, Unit::None),
        };
        assert_eq!(tiny.status(Some(&big), &Bands::default()), Ok(Exceeded));
    }
}
