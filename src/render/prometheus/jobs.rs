//! Job alerts from kube-state-metrics' `CronJob` series: `CronJobFailed` when the last
//! scheduled run ended without success (scheduled after the last success, nothing running),
//! and `CronJobNotSucceeding` when the last success is older than twice the longest gap
//! between two scheduled runs. A suspended job has neither. Labels as every alert's, with
//! the job's name as `service`.

use crate::model::{Environment, Job, Platform};
use crate::render::promql::{Selector, duration};
use crate::spec::values::Duration;

use super::{Rule, page, team_label};

/// The labels every alert carries: `severity`, `namespace`, `service` (the job), `team`.
fn alert_labels(platform: &Platform, env: &Environment, job: &str, severity: &str) -> crate::model::Labels {
    let mut labels = team_label(platform);
    labels.insert("severity".into(), severity.into());
    labels.insert("namespace".into(), env.namespace.clone());
    labels.insert("service".into(), job.into());
    labels
}

pub(super) fn rules(platform: &Platform, env: &Environment) -> Vec<Rule> {
    env.jobs
        .iter()
        .filter(|job| !job.suspend)
        .flat_map(|job| alerts(platform, env, job))
        .collect()
}

fn alerts(platform: &Platform, env: &Environment, job: &Job) -> [Rule; 2] {
    let (ns, name) = (&env.namespace, &job.name);
    let cronjob = Selector::new().eq("namespace", ns).eq("cronjob", name);
    let series = |metric: &str| format!("max by (namespace, cronjob) ({metric}{cronjob})");
    let failed = Rule::alert(
        "CronJobFailed",
        format!(
            "{} > {} and {} == 0",
            series("kube_cronjob_status_last_schedule_time"),
            series("kube_cronjob_status_last_successful_time"),
            series("kube_cronjob_status_active"),
        ),
        alert_labels(platform, env, name, "warning"),
        [
            ("summary", format!("the last run of job {name} failed in {ns}")),
            (
                "description",
                format!(
                    "Job {name} in {ns} was last scheduled after its last success and is not running: \
                     its last run failed (kubectl -n {ns} get jobs -l app.kubernetes.io/name={name})."
                ),
            ),
        ],
    );
    let limit = Duration::from_secs(2 * job.interval_seconds);
    let stale = Rule::alert(
        "CronJobNotSucceeding",
        format!(
            "time() - {} > {}",
            series("kube_cronjob_status_last_successful_time"),
            limit.whole_seconds()
        ),
        alert_labels(platform, env, name, page(env.paging)),
        [
            (
                "summary",
                format!("job {name} has not succeeded for {} in {ns}", duration(limit)),
            ),
            (
                "description",
                format!(
                    "Job {name} (schedule \"{}\") last succeeded {{{{ $value | humanizeDuration }}}} ago \
                     in {ns}; it runs at least every {}.",
                    job.schedule,
                    duration(Duration::from_secs(job.interval_seconds))
                ),
            ),
        ],
    );
    [failed, stale]
}
