//! Jobs (`[jobs.<job>]`, SPEC.md §8): a schedule and an image are required (E0003), the
//! schedule is five cron fields and the time zone an IANA name (E0023, naming the field that
//! is wrong), `deadline` a duration and `retries` a count (E0022), the uid non-root (E0003),
//! names valid and distinct from services and datastores (E0010).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{cron, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for name in cx.spec.jobs.keys() {
        let span = cx.document.key_span(&["jobs", name]).unwrap_or(0..0);
        if let Err(message) = values::name(name) {
            out.push(Diagnostic::new(Code::E0010, span.clone(), message));
        }
        let taken = cx.spec.services.contains_key(name) || cx.spec.datastores.contains_key(name);
        if taken || name == "default-deny" {
            out.push(
                Diagnostic::new(
                    Code::E0010,
                    span,
                    format!("the job `{name}` has the name of another object"),
                )
                .with_help("jobs share Kubernetes object names with services and datastores: rename it"),
            );
        }
    }
    for job in cx.envs.iter().flat_map(|env| &env.jobs) {
        let raw = &job.raw;
        for (present, key) in [(raw.schedule.is_some(), "schedule"), (raw.image.is_some(), "image")] {
            if !present {
                out.push(Diagnostic::new(
                    Code::E0003,
                    job.name_span.clone(),
                    format!("job `{}` has no `{key}`", job.name),
                ));
            }
        }
        if let Some(schedule) = &raw.schedule {
            parse(schedule, Code::E0023, cron::schedule, out);
        }
        if let Some(zone) = &raw.timezone
            && jiff::tz::db().get(&zone.value).is_err()
        {
            out.push(
                Diagnostic::new(
                    Code::E0023,
                    zone.span.clone(),
                    format!("timezone `{}` is not an IANA time zone", zone.value),
                )
                .with_help("for example \"Europe/Berlin\", \"America/New_York\" or \"UTC\""),
            );
        }
        if let Some(deadline) = &raw.deadline {
            super::workloads::seconds(deadline, 30 * 86_400, out);
        }
        if let Some(retries) = &raw.retries
            && !(0..=100).contains(&retries.value)
        {
            out.push(Diagnostic::new(
                Code::E0022,
                retries.span.clone(),
                format!("retries {} is outside 0–100", retries.value),
            ));
        }
        if let Some(uid) = &raw.run_as_user
            && !(1..=i64::from(u32::MAX)).contains(&uid.value)
        {
            out.push(Diagnostic::new(
                Code::E0003,
                uid.span.clone(),
                format!("run_as_user {} is not a non-root uid", uid.value),
            ));
        }
        for (key, value) in raw.node_selector.iter().flatten() {
            if let Err(message) = values::label_key(key).and_then(|()| values::label_value(&value.value)) {
                out.push(Diagnostic::new(Code::E0010, value.span.clone(), message));
            }
        }
    }
}
