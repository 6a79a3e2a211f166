//! E0010: the objects platc adds beside an in-cluster datastore take names in its namespace —
//! `<ds>-exporter`, `<ds>-backup` and `<ds>-restore` (each with a `ServiceAccount` and a
//! `NetworkPolicy`, and a Compose service of that name), and with the operator the cluster
//! `<ds>-db` and the Services it creates (`-rw`, `-r`, `-ro`). A service, job or datastore of
//! the spec may not have one of those names: the objects would overwrite each other.

use std::collections::BTreeSet;

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolve::{DatastoreView, EnvView};
use crate::spec::Span;

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let mut reported = BTreeSet::new();
    for env in cx.envs {
        let added: Vec<(String, &DatastoreView)> = env
            .datastores
            .iter()
            .flat_map(|datastore| {
                added_names(env, datastore)
                    .into_iter()
                    .map(move |name| (name, datastore))
            })
            .collect();
        for (name, span, kind) in spec_objects(env) {
            let Some((_, owner)) = added.iter().find(|(taken, _)| taken == name) else {
                continue;
            };
            if reported.insert(name.clone()) {
                out.push(
                    Diagnostic::new(
                        Code::E0010,
                        span.clone(),
                        format!(
                            "{kind} `{name}` has the name of an object platc adds for datastore `{}`",
                            owner.name
                        ),
                    )
                    .with_label(owner.name_span.clone(), "the datastore")
                    .with_help(format!(
                        "rename the {kind}: platc names a datastore's exporter, backup and restore \
                         `<datastore>-exporter`, `-backup`, `-restore`, and an operator's cluster \
                         `<datastore>-db` (`-db-rw`, `-db-r`, `-db-ro`)"
                    )),
                );
            }
        }
    }
}

/// The names platc gives to what it runs beside `datastore` in `env`.
fn added_names(env: &EnvView, datastore: &DatastoreView) -> Vec<String> {
    let raw = &datastore.raw;
    if raw.external.is_some() {
        return Vec::new();
    }
    let monitored = env.settings.monitoring.as_ref().is_none_or(|m| m.value);
    let mut suffixes = Vec::new();
    if raw.exporter.as_ref().map_or(monitored, |e| e.value) {
        suffixes.push("exporter");
    }
    if raw.backup.is_some() {
        suffixes.extend(["backup", "restore"]);
    }
    if raw.operator.is_some() {
        suffixes.extend(["db", "db-rw", "db-r", "db-ro"]);
    }
    suffixes
        .into_iter()
        .map(|suffix| format!("{}-{suffix}", datastore.name))
        .collect()
}

/// Every service, job and datastore of the environment: (name, where it is named, what it is).
fn spec_objects(env: &EnvView) -> impl Iterator<Item = (&String, &Span, &'static str)> {
    let services = env.services.iter().map(|s| (&s.name, &s.name_span, "service"));
    let jobs = env.jobs.iter().map(|j| (&j.name, &j.name_span, "job"));
    let datastores = env.datastores.iter().map(|d| (&d.name, &d.name_span, "datastore"));
    services.chain(jobs).chain(datastores)
}
