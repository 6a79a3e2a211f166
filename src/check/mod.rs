//! Stage 3, check: every rule of SPEC.md §5, each family in its own file with its codes.
//!
//! Rules read the resolved views (effective values with the spans of the layers that set
//! them) and push every problem they find; nothing stops at the first error. A base value
//! seen by several environments yields the same diagnostic each time, which `Diagnostics`
//! reports once.

mod alerting;
mod alerts;
mod autoscale;
mod compose;
pub(crate) mod datastores;
mod derived;
mod files;

pub use files::read as read_file;
mod jobs;
mod metrics;
mod names;
mod ports;
mod quantities;
mod quota;
mod ranges;
mod references;
mod required;
mod rollout;
mod routes;
mod secrets;
mod settings;
mod slo;
mod values;
mod warnings;
mod workloads;

use crate::diag::{Diagnostic, Diagnostics};
use crate::resolve::{EnvView, ServiceView};
use crate::spec::{Document, RawSpec, Spanned};

pub struct Context<'a> {
    pub document: &'a Document<'a>,
    /// The spec's folder: `files` sources are relative to it.
    pub dir: &'a std::path::Path,
    pub spec: &'a RawSpec,
    pub envs: &'a [EnvView],
}

impl<'a> Context<'a> {
    pub fn services(&self) -> impl Iterator<Item = (&'a EnvView, &'a ServiceView)> + 'a {
        self.envs
            .iter()
            .flat_map(|env| env.services.iter().map(move |service| (env, &**service)))
    }
}

type Rule = fn(&Context<'_>, &mut Diagnostics);

const RULES: [Rule; 24] = [
    required::check,
    names::check,
    quantities::check,
    values::check,
    references::check,
    autoscale::check,
    ports::check,
    routes::check,
    secrets::check,
    quota::check,
    ranges::check,
    settings::check,
    datastores::check,
    derived::check,
    metrics::check,
    slo::check,
    rollout::check,
    warnings::check,
    compose::check,
    alerting::check,
    alerts::check,
    workloads::check,
    jobs::check,
    files::check,
];

pub fn check(document: &Document<'_>, envs: &[EnvView], dir: &std::path::Path) -> Diagnostics {
    let context = Context {
        document,
        dir,
        spec: &document.spec,
        envs,
    };
    // The rules only read: they run in parallel, their findings joined in rule order.
    let found = crate::parallel::map(&RULES, |rule| {
        let mut found = Diagnostics::default();
        rule(&context, &mut found);
        found
    });
    found.into_iter().flatten().collect()
}

/// Runs a value parser and reports its error at the value's span.
fn parse<T>(
    value: &Spanned<String>,
    code: crate::diag::Code,
    parser: impl Fn(&str) -> Result<T, String>,
    out: &mut Diagnostics,
) -> Option<T> {
    parser(&value.value)
        .map_err(|message| {
            let mut diagnostic = Diagnostic::new(code, value.span.clone(), message);
            if code == crate::diag::Code::E0020 {
                diagnostic = diagnostic.with_help(crate::spec::values::quantity_hint(&value.value).map_or_else(
                    || "write a quantity such as \"512Mi\", \"1Gi\" or \"250m\"".to_string(),
                    |meant| format!("did you mean `{meant}`?"),
                ));
            }
            out.push(diagnostic);
        })
        .ok()
}

#[cfg(test)]
mod advice_tests;
#[cfg(test)]
mod layer_tests;
#[cfg(test)]
mod tests;
