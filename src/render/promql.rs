//! Small pieces of `PromQL` text shared by the Prometheus rules and the Grafana dashboards:
//! string literals (spec values escaped for `PromQL` string syntax), label selectors,
//! durations, and exact decimal numbers.

use std::fmt;

use crate::model::Duration;

/// A double-quoted `PromQL` string literal holding `value` verbatim.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A label selector such as `{namespace="shop",code=~"5.."}`, matchers in insertion order.
#[derive(Debug, Clone, Default)]
pub struct Selector(Vec<(String, &'static str, String)>);

impl Selector {
    pub fn new() -> Self {
        Self::default()
    }

    /// `label="value"`
    pub fn eq(mut self, label: &str, value: &str) -> Self {
        self.0.push((label.to_string(), "=", value.to_string()));
        self
    }

    /// `label=~"regex"`
    pub fn re(mut self, label: &str, regex: &str) -> Self {
        self.0.push((label.to_string(), "=~", regex.to_string()));
        self
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let matchers: Vec<String> = self
            .0
            .iter()
            .map(|(label, op, value)| format!("{label}{op}{}", quote(value)))
            .collect();
        write!(f, "{{{}}}", matchers.join(","))
    }
}

/// A Prometheus duration with the largest exact units: 1h, 4m40s, 2d19h12m.
pub fn duration(d: Duration) -> String {
    let mut seconds = d.whole_seconds();
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if seconds >= size {
            out.push_str(&format!("{}{unit}", seconds / size));
            seconds %= size;
        }
    }
    if out.is_empty() { "0s".to_string() } else { out }
}

/// An exact decimal (`units / 10^scale`). Budgets and thresholds are computed with it, never
/// in binary floating point, where `100 - 99.9` is `0.0999…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

impl Decimal {
    /// The spec number as written (Rust prints an `f64` as its shortest round-trip text).
    pub fn from_f64(value: f64) -> Self {
        let text = format!("{value}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let digits = format!("{whole}{fraction}");
        Decimal {
            units: digits.parse().unwrap_or(0),
            scale: fraction.len() as u32,
        }
    }

    pub fn seconds(d: Duration) -> Self {
        Decimal {
            units: i128::from(d.millis),
            scale: 3,
        }
    }

    pub fn int(value: i128) -> Self {
        Decimal { units: value, scale: 0 }
    }

    fn at_scale(self, scale: u32) -> i128 {
        self.units * 10i128.pow(scale - self.scale)
    }

    pub fn minus(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal {
            units: self.at_scale(scale) - other.at_scale(scale),
            scale,
        }
    }

    /// `self / 100`: a percent as a ratio.
    pub fn percent_to_ratio(self) -> Decimal {
        Decimal {
            units: self.units,
            scale: self.scale + 2,
        }
    }

    /// `self × 100`: a ratio as a percent.
    pub fn ratio_to_percent(self) -> Decimal {
        Decimal {
            units: self.units * 100,
            scale: self.scale,
        }
    }

    /// The error budget of an objective in percent, as a ratio: 99.9 → 0.001.
    pub fn budget_of(objective_percent: f64) -> Decimal {
        Decimal::int(100)
            .minus(Decimal::from_f64(objective_percent))
            .percent_to_ratio()
    }
}

impl fmt::Display for Decimal {
    /// The shortest plain decimal: no exponent, no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = format!(
            "{:0>width$}",
            self.units.unsigned_abs(),
            width = self.scale as usize + 1
        );
        let (whole, fraction) = digits.split_at(digits.len() - self.scale as usize);
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{fraction}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_backslash_and_double_quote() {
        assert_eq!(quote("5.."), r#""5..""#);
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("a\nb"), r#""a\nb""#);
        assert_eq!(quote(r"1(\.0)?"), r#""1(\\.0)?""#);
    }

    #[test]
    fn selectors_keep_order_and_escape() {
        let s = Selector::new().eq("namespace", "shop").re("code", r#"5.."x"#);
        assert_eq!(s.to_string(), r#"{namespace="shop",code=~"5..\"x"}"#);
    }

    #[test]
    fn durations_use_the_largest_exact_units() {
        assert_eq!(duration(Duration::from_secs(3600)), "1h");
        assert_eq!(duration(Duration::from_secs(280)), "4m40s");
        assert_eq!(duration(Duration::from_secs(1008 * 60)), "16h48m");
        assert_eq!(duration(Duration::from_secs(30 * 86_400)), "30d");
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Decimal::budget_of(99.9).to_string(), "0.001");
        assert_eq!(Decimal::budget_of(99.0).to_string(), "0.01");
        assert_eq!(Decimal::budget_of(93.0556).to_string(), "0.069444");
        assert_eq!(Decimal::from_f64(99.9).percent_to_ratio().to_string(), "0.999");
        assert_eq!(Decimal::from_f64(0.01).ratio_to_percent().to_string(), "1");
        assert_eq!(Decimal::from_f64(0.85).ratio_to_percent().to_string(), "85");
        assert_eq!(Decimal::seconds(Duration::from_secs(1)).to_string(), "1");
        assert_eq!(Decimal::seconds(Duration { millis: 200 }).to_string(), "0.2");
        assert_eq!(Decimal::from_f64(14.4).to_string(), "14.4");
        assert_eq!(Decimal::from_f64(6.0).to_string(), "6");
    }
}
