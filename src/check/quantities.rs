//! E0020 (not a quantity) and E0021 (a limit below its request).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{RawResources, Spanned, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        if let Some(defaults) = &env.settings.container_defaults {
            resources(&defaults.value, out);
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
                resources(raw, out);
            }
            if let Some(storage) = &datastore.raw.storage {
                parse(storage, Code::E0020, values::quantity, out);
            }
        }
        for service in &env.services {
            if let Some(raw) = &service.raw.resources {
                resources(raw, out);
            }
        }
        for job in &env.jobs {
            if let Some(raw) = &job.raw.resources {
                resources(raw, out);
            }
        }
    }
}

fn resources(raw: &RawResources, out: &mut Diagnostics) {
    pair(raw.cpu.as_ref(), raw.cpu_limit.as_ref(), "cpu", out);
    pair(raw.memory.as_ref(), raw.memory_limit.as_ref(), "memory", out);
}

fn pair(request: Option<&Spanned<String>>, limit: Option<&Spanned<String>>, what: &str, out: &mut Diagnostics) {
    let request_value = request.and_then(|r| parse(r, Code::E0020, values::quantity, out));
    let limit_value = limit.and_then(|l| parse(l, Code::E0020, values::quantity, out));
    if let (Some(request_value), Some(limit_value), Some(request), Some(limit)) =
        (request_value, limit_value, request, limit)
        && limit_value.value < request_value.value
    {
        out.push(
            Diagnostic::new(
                Code::E0021,
                limit.span.clone(),
                format!(
                    "{what} limit `{}` is below its request `{}`",
                    limit.value, request.value
                ),
            )
            .with_label(request.span.clone(), "the request")
            .with_help(format!("raise {what}_limit to at least `{}`", request.value)),
        );
    }
}
