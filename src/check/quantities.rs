//! E0020 (not a quantity) and E0021 (a limit below its request).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolve::Origins;
use crate::spec::{RawResources, Spanned, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        if let Some(defaults) = &env.settings.container_defaults {
            resources(&defaults.value, &Origins::default(), out);
        }
        if let Some(quota) = &env.settings.quota {
            let q = &quota.value;
            for value in [&q.requests_cpu, &q.requests_memory, &q.limits_cpu, &q.limits_memory]
                .into_iter()
                .flatten()
            {
                parse(value, Code::E0020, values::quantity, out);
            }
        }
        for datastore in &env.datastores {
            if let Some(raw) = &datastore.raw.resources {
                resources(raw, &Origins::default(), out);
            }
            if let Some(storage) = &datastore.raw.storage {
                parse(storage, Code::E0020, values::quantity, out);
            }
        }
        for service in &env.services {
            if let Some(raw) = &service.raw.resources {
                resources(raw, &service.origins, out);
            }
        }
        for job in &env.jobs {
            if let Some(raw) = &job.raw.resources {
                resources(raw, &Origins::default(), out);
            }
        }
    }
}

fn resources(raw: &RawResources, origins: &Origins, out: &mut Diagnostics) {
    pair(raw.cpu.as_ref(), raw.cpu_limit.as_ref(), "cpu", origins, out);
    pair(raw.memory.as_ref(), raw.memory_limit.as_ref(), "memory", origins, out);
}

/// A request and its limit; E0021 points at whichever the higher layer set.
fn pair(
    request: Option<&Spanned<String>>,
    limit: Option<&Spanned<String>>,
    what: &str,
    origins: &Origins,
    out: &mut Diagnostics,
) {
    let request_value = request.and_then(|r| parse(r, Code::E0020, values::quantity, out));
    let limit_value = limit.and_then(|l| parse(l, Code::E0020, values::quantity, out));
    if let (Some(request_value), Some(limit_value), Some(request), Some(limit)) =
        (request_value, limit_value, request, limit)
        && limit_value.value < request_value.value
    {
        let (primary, other) = origins.higher_first(&limit.span, &request.span);
        let note = if *other == request.span {
            "the request"
        } else {
            "the limit"
        };
        out.push(
            Diagnostic::new(
                Code::E0021,
                primary.clone(),
                format!(
                    "{what} limit `{}` is below its request `{}`",
                    limit.value, request.value
                ),
            )
            .with_label(other.clone(), note)
            .with_help(format!(
                "raise {what}_limit to at least `{}`, or lower the request",
                request.value
            )),
        );
    }
}
