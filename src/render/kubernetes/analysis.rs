//! The rollout analysis: an `AnalysisTemplate` that asks Prometheus how fast the new version
//! burns the availability SLO's error budget, and fails the rollout above the fast-page rate.
//!
//! The query is the SLO's own error ratio — the same request counter, `namespace`/`service`
//! labels and error regex as the `slo:sli_errors` rules — restricted to the new version's pods
//! by `rollouts_pod_template_hash` (the scrape configuration copies the pod label Argo Rollouts
//! sets), over the fast page's short window, divided by the error budget: the burn rate.
//! Without traffic it is 0 (the SLO rules' NaN-safe ratio), so the analysis judges only
//! requests the new version actually served. It measures every minute and fails after a
//! second measurement above the rate, so a single unlucky minute does not abort a release.

use serde::Serialize;

use super::Meta;
use super::rollout::HASH_ARGUMENT;
use crate::model::slo::{FASTEST_PAGE_FACTOR, burn_alerts};
use crate::model::{Environment, Platform, RolloutStrategy, Service};
use crate::render::promql::{Decimal, Selector, duration};

/// The pod label Argo Rollouts puts on each version's pods, as the scrape configs relabel it.
pub(crate) const HASH_LABEL: &str = "rollouts_pod_template_hash";
/// Blue-green judges the preview before promotion: this many measurements, a minute apart.
const PRE_PROMOTION_MEASUREMENTS: u32 = 5;

#[derive(Serialize)]
pub struct Analysis {
    meta: Meta,
    address: String,
    query: String,
    /// `result[0] <= <fast-page burn rate>`.
    success_condition: String,
    interval: &'static str,
    failure_limit: u32,
    /// Blue-green only: pre-promotion analysis must end; background analysis runs until the
    /// canary is promoted.
    count: Option<u32>,
}

pub fn analysis(platform: &Platform, env: &Environment, service: &Service) -> Option<Analysis> {
    let slo = service.slo.as_ref()?;
    let objective = slo.availability?;
    let count = match service.rollout.as_ref()?.strategy {
        RolloutStrategy::Canary { .. } => None,
        RolloutStrategy::BlueGreen { .. } => Some(PRE_PROMOTION_MEASUREMENTS),
    };
    let window = burn_alerts(slo.window).first()?.short;
    Some(Analysis {
        meta: Meta::new(platform, env, &service.name, "service"),
        address: env.prometheus_url.clone(),
        query: burn_rate_query(platform, env, service, objective, &duration(window)),
        success_condition: format!("result[0] <= {}", Decimal::from_f64(FASTEST_PAGE_FACTOR)),
        interval: "1m",
        failure_limit: 1,
        count,
    })
}

/// The new version's error ratio over `window`, divided by the error budget.
pub(crate) fn burn_rate_query(
    platform: &Platform,
    env: &Environment,
    service: &Service,
    objective: f64,
    window: &str,
) -> String {
    let metrics = &platform.metrics;
    let version = Selector::new()
        .eq("namespace", &env.namespace)
        .eq("service", &service.name)
        .eq(HASH_LABEL, &format!("{{{{args.{HASH_ARGUMENT}}}}}"));
    let failed = version.clone().re("code", &metrics.error_status);
    let requests = &metrics.requests;
    format!(
        "(sum(rate({requests}{failed}[{window}])) or vector(0)) / (sum(rate({requests}{version}[{window}])) > 0 or vector(1)) / {}",
        Decimal::budget_of(objective)
    )
}

#[cfg(test)]
mod tests {
    use crate::model::RolloutStrategy;

    fn platform() -> crate::model::Platform {
        let spec = "[platform]\nname = \"shop\"\n[platform.metrics]\nrequests = \"app_requests\"\nerror_status = \"5..|429\"\n[environments.production]\n[services.web]\nimage = \"web:1\"\nport = 8080\nslo = { availability = 99.5, window = \"7d\" }\nrollout = { strategy = \"blue-green\", analysis = true }\n";
        match crate::compile(spec) {
            Ok(compilation) => compilation.platform,
            Err(failure) => panic!("{failure:?}"),
        }
    }

    #[test]
    fn the_query_is_the_slo_ratio_of_the_new_version_over_the_budget() {
        let platform = platform();
        let env = &platform.environments[0];
        let analysis = super::analysis(&platform, env, &env.services[0]).expect("an availability SLO");
        assert_eq!(
            analysis.query,
            r#"(sum(rate(app_requests{namespace="shop-production",service="web",rollouts_pod_template_hash="{{args.canary-hash}}",code=~"5..|429"}[5m])) or vector(0)) / (sum(rate(app_requests{namespace="shop-production",service="web",rollouts_pod_template_hash="{{args.canary-hash}}"}[5m])) > 0 or vector(1)) / 0.005"#,
            "the platform's counter and error regex; a 7d SLO's fast page looks 5m back"
        );
        assert_eq!(analysis.success_condition, "result[0] <= 14.4");
        assert_eq!(analysis.count, Some(5), "pre-promotion analysis ends");
        assert_eq!(analysis.address, "http://prometheus-operated.monitoring.svc:9090");
    }

    #[test]
    fn canaries_analyse_in_the_background_until_promoted() {
        let mut platform = platform();
        let env = &mut platform.environments[0];
        if let Some(rollout) = env.services[0].rollout.as_mut() {
            rollout.strategy = RolloutStrategy::Canary {
                steps: vec![50],
                pause: None,
            };
        }
        let env = &platform.environments[0];
        let analysis = super::analysis(&platform, env, &env.services[0]).expect("an availability SLO");
        assert_eq!(analysis.count, None);
    }
}
