//! How many pods a service runs and what it promises: `autoscale` (with its `scale_up` and
//! `scale_down` behaviour), `disruption` and `slo` — in `[services.<name>]`, `[tiers.<name>]`
//! and their environment overrides.

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::Text;
use super::schema::{DAYS, DURATION, DURATION_OR_ZERO, PAGEABLE_OBJECTIVE, PERCENT_TEXT};
use super::spanned::Spanned;
use super::workload::Select;

/// `autoscale`: a `HorizontalPodAutoscaler`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscale {
    /// Fewest replicas, at least 1 (E0040). Default 1. Example: `2`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub min: Option<Spanned<i64>>,
    /// Most replicas, at least `min` (E0040). Example: `10`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub max: Option<Spanned<i64>>,
    /// Target CPU utilisation, a percent of the CPU request in (0, 100]. Default: none.
    /// Example: `70`.
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 100))]
    pub cpu: Option<Spanned<f64>>,
    /// Target memory utilisation, a percent of the memory request in (0, 100]. Default:
    /// none. Example: `80`.
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 100))]
    pub memory: Option<Spanned<f64>>,
    /// Target requests per second per pod (needs the Prometheus adapter). Default: none.
    /// Example: `50`.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub rps: Option<Spanned<f64>>,
    /// How fast to add pods. Default: the Kubernetes defaults. Example:
    /// `{ percent = 100, period = "15s" }`.
    pub scale_up: Option<RawScaling>,
    /// How fast to remove pods. Default: the Kubernetes defaults. Example:
    /// `{ window = "5m", pods = 1, period = "1m" }`.
    pub scale_down: Option<RawScaling>,
}

/// `scale_up` / `scale_down`: how fast the autoscaler adds or removes pods.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScaling {
    /// Stabilization window, a duration from `"0s"` to `"1h"`. Default: Kubernetes' (0s up,
    /// 5m down). Example: `"5m"`.
    #[schemars(pattern(DURATION_OR_ZERO))]
    pub window: Option<Text>,
    /// At most this percent of the current replicas per `period`. Default: none. Example: `100`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub percent: Option<Spanned<i64>>,
    /// At most this many pods per `period`. Default: none. Example: `4`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub pods: Option<Spanned<i64>>,
    /// The period of `percent` and `pods`, a duration from `"1s"` to `"30m"`. Default `"60s"`.
    /// Example: `"1m"`.
    #[schemars(pattern(DURATION))]
    pub period: Option<Text>,
    /// Which policy wins: `"max"`, `"min"`, or `"disabled"` (no scaling this way). Default
    /// `"max"`.
    pub select: Option<Spanned<Select>>,
}

/// `disruption`: a `PodDisruptionBudget`; set one of the two keys.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDisruption {
    /// Pods that must stay up during voluntary disruptions: a count or `"N%"`. Example: `2`.
    pub min_available: Option<Spanned<IntOrText>>,
    /// Pods that may be down during voluntary disruptions: a count or `"N%"`. Example: `1`
    /// or `"25%"`.
    pub max_unavailable: Option<Spanned<IntOrText>>,
}

/// A count or a percentage such as `"50%"`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum IntOrText {
    Int(#[schemars(range(min = 0, max = 1_000_000))] i64),
    Text(#[schemars(pattern(PERCENT_TEXT))] String),
}

/// `slo`: service-level objectives, their window and budget alerts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSlo {
    /// The objectives' window: whole days from `"1d"` to `"90d"`. Default `"30d"`.
    /// Example: `"28d"`.
    #[schemars(pattern(DAYS))]
    pub window: Option<Text>,
    /// Percent of requests that succeed (not a ratio), high enough that its fastest burn
    /// alert can fire (above 93.06). Default: none. Example: `99.9`.
    #[schemars(extend("exclusiveMinimum" = PAGEABLE_OBJECTIVE, "exclusiveMaximum" = 100))]
    pub availability: Option<Spanned<f64>>,
    /// A latency objective. Default: none. Example:
    /// `{ objective = 99, threshold = "200ms" }`.
    pub latency: Option<RawLatencySlo>,
    /// Percents of the error budget consumed that each raise `SLOErrorBudgetConsumed`
    /// (100 is critical). Default: none. Example: `[50, 75, 100]`.
    #[schemars(extend("items" = { "type": "number", "exclusiveMinimum": 0, "maximum": 100 }))]
    pub budget_alerts: Option<Spanned<Vec<Spanned<f64>>>>,
}

/// `slo.latency`: the share of requests faster than a threshold.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLatencySlo {
    /// Percent of requests faster than `threshold` (above 93.06, below 100). Example: `99`.
    #[schemars(extend("exclusiveMinimum" = PAGEABLE_OBJECTIVE, "exclusiveMaximum" = 100))]
    pub objective: Option<Spanned<f64>>,
    /// The latency that counts as fast, a duration (required with `objective`). Example:
    /// `"200ms"`.
    #[schemars(pattern(DURATION))]
    pub threshold: Option<Text>,
}
