//! Progressive delivery on Argo Rollouts: what a service with `rollout` adds to its file.
//!
//! The `Rollout` replaces the Deployment and carries the same pod template. A canary routed
//! by an nginx Ingress gets `<svc>-canary` beside its stable Service `<svc>`, and the
//! controller clones the platform's Ingress into a canary Ingress whose weight is a share of
//! requests; any other canary splits by the ratio of old and new pods. Blue-green adds
//! `<svc>-preview`. Both extra Services are rendered by the same template lines as `<svc>`
//! (same selector and ports; the controller adds the `rollouts-pod-template-hash` of the
//! version each one serves), and carry their own `app.kubernetes.io/name` so a
//! `ServiceMonitor` of `<svc>` never selects them.
//!
//! `analysis = true` adds an `AnalysisTemplate` (see `analysis`): background analysis for a
//! canary, pre-promotion analysis for blue-green, both told the new version's pod-template
//! hash through the `canary-hash` argument.

use serde::Serialize;

use super::Meta;
use super::analysis::{self, Analysis};
use crate::model::{Environment, Platform, RolloutStrategy, Service};

/// The argument that carries the new version's pod-template hash into the analysis.
pub(crate) const HASH_ARGUMENT: &str = "canary-hash";

#[derive(Serialize)]
pub struct RolloutView {
    canary: Option<Canary>,
    blue_green: Option<BlueGreen>,
    analysis: Option<Analysis>,
    hash_argument: &'static str,
}

#[derive(Serialize)]
struct Canary {
    /// (weight, pause): a `pause` of `None` waits for `kubectl argo rollouts promote`.
    steps: Vec<(u32, Option<String>)>,
    /// Set where the nginx Ingress splits requests; otherwise the pods' ratio does.
    traffic: Option<Traffic>,
}

#[derive(Serialize)]
struct Traffic {
    canary_service: String,
    stable_service: String,
    stable_ingress: String,
}

#[derive(Serialize)]
struct BlueGreen {
    active_service: String,
    preview_service: String,
    auto_promote: bool,
}

pub fn view(platform: &Platform, env: &Environment, service: &Service) -> Option<RolloutView> {
    let rollout = service.rollout.as_ref()?;
    let (canary, blue_green) = match &rollout.strategy {
        RolloutStrategy::Canary { steps, pause } => {
            let pause = pause.map(|p| go_duration(p.whole_seconds()));
            let traffic = env.routes_canary_by_ingress(service).then(|| Traffic {
                canary_service: format!("{}-canary", service.name),
                stable_service: service.name.clone(),
                stable_ingress: platform.name.clone(),
            });
            let steps = steps.iter().map(|weight| (*weight, pause.clone())).collect();
            (Some(Canary { steps, traffic }), None)
        }
        RolloutStrategy::BlueGreen { auto_promote } => {
            let blue_green = BlueGreen {
                active_service: service.name.clone(),
                preview_service: format!("{}-preview", service.name),
                auto_promote: *auto_promote,
            };
            (None, Some(blue_green))
        }
    };
    let analysis = rollout
        .analysis
        .then(|| analysis::analysis(platform, env, service))
        .flatten();
    Some(RolloutView {
        canary,
        blue_green,
        analysis,
        hash_argument: HASH_ARGUMENT,
    })
}

/// The Services of a service: `<svc>`, and `<svc>-canary` (a canary split at the ingress) or
/// `<svc>-preview` (blue-green) on the same pods and ports, named apart so that a
/// `ServiceMonitor` of `<svc>` never selects them.
pub fn services(platform: &Platform, env: &Environment, service: &Service) -> Vec<Meta> {
    let own = Meta::new(platform, env, &service.name, "service");
    let suffix = match service.rollout.as_ref().map(|r| &r.strategy) {
        Some(RolloutStrategy::BlueGreen { .. }) => Some("preview"),
        Some(RolloutStrategy::Canary { .. }) if env.routes_canary_by_ingress(service) => Some("canary"),
        _ => None,
    };
    let extra = suffix.map(|suffix| {
        let mut meta = Meta::new(platform, env, &format!("{}-{suffix}", service.name), "service");
        meta.selector.clone_from(&own.selector);
        meta
    });
    std::iter::once(own).chain(extra).collect()
}

/// Argo Rollouts reads a pause with Go's `time.ParseDuration`, which knows no days: `1d` is
/// written `24h`, `90s` is `1m30s`.
fn go_duration(mut seconds: u64) -> String {
    let mut text = String::new();
    for (unit, size) in [("h", 3_600), ("m", 60), ("s", 1)] {
        if seconds >= size {
            text.push_str(&format!("{}{unit}", seconds / size));
            seconds %= size;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::go_duration;

    #[test]
    fn pauses_are_go_durations() {
        assert_eq!(go_duration(300), "5m");
        assert_eq!(go_duration(90), "1m30s");
        assert_eq!(go_duration(86_400), "24h");
        assert_eq!(go_duration(3_661), "1h1m1s");
    }
}
