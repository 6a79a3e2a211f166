//! E0080: SLO objectives in (0, 100), windows of whole days from 1d to 90d, and objectives
//! whose fastest page alert can fire at all (see `model::slo`).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::slo::{FASTEST_PAGE_FACTOR, can_page};
use crate::spec::{Spanned, values};

const DAY_MS: u64 = 86_400_000;

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let tier_slos = cx.spec.tiers.values().filter_map(|t| t.slo.as_ref());
    let service_slos = cx.services().filter_map(|(_, s)| s.raw.slo.as_ref());
    for slo in tier_slos.chain(service_slos) {
        let slo = &slo.value;
        if let Some(window) = &slo.window {
            window_days(window, out);
        }
        if let Some(availability) = &slo.availability {
            objective(availability, out);
        }
        if let Some(latency) = &slo.latency {
            if let Some(target) = &latency.objective {
                objective(target, out);
            }
            if let Some(threshold) = &latency.threshold {
                parse(threshold, Code::E0022, values::duration, out);
            }
        }
    }
}

fn window_days(window: &Spanned<String>, out: &mut Diagnostics) {
    let valid = values::duration(&window.value)
        .is_ok_and(|d| d.millis % DAY_MS == 0 && (1..=90).contains(&(d.millis / DAY_MS)));
    if !valid {
        out.push(
            Diagnostic::new(
                Code::E0080,
                window.span.clone(),
                format!(
                    "SLO window `{}` is not a whole number of days from 1d to 90d",
                    window.value
                ),
            )
            .with_help("for example window = \"30d\""),
        );
    }
}

fn objective(value: &Spanned<f64>, out: &mut Diagnostics) {
    let percent = value.value;
    if !(percent > 0.0 && percent < 100.0) {
        out.push(
            Diagnostic::new(
                Code::E0080,
                value.span.clone(),
                format!("SLO objective {percent} is outside (0, 100)"),
            )
            .with_help("an objective is a percent such as 99.9; 100 leaves no error budget"),
        );
    } else if percent < 1.0 {
        // 0.999 is a ratio written where a percent belongs.
        let meant = (percent * 100.0 * 1e6).round() / 1e6;
        out.push(
            Diagnostic::new(
                Code::E0080,
                value.span.clone(),
                format!("SLO objective {percent} is {meant:.4}%, far too low to be meant"),
            )
            .with_help(format!("objectives are percents: did you mean `{meant}`?")),
        );
    } else if !can_page(percent) {
        let budget = 100.0 - percent;
        out.push(
            Diagnostic::new(Code::E0080, value.span.clone(), format!("SLO objective {percent} can never page"))
                .with_help(format!(
                    "its error budget is {budget:.2}%, and the fastest page fires at {FASTEST_PAGE_FACTOR}× the budget rate, which would need more than 100% errors; use an objective above {:.2}",
                    100.0 - 100.0 / FASTEST_PAGE_FACTOR
                )),
        );
    }
}
