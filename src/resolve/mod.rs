//! Stage 2, resolve: one effective view of every service, datastore and the ingress per
//! environment, layered exactly as SPEC.md §4 orders them:
//!
//! built-in defaults → `environments.<env>.container_defaults` (resources only) → the tier,
//! with `environments.<env>.tiers.<tier>` merged over it → the service →
//! `environments.<env>.services.<svc>`. Tables merge key by key; scalars and arrays replace.
//!
//! Merging happens on the spanned TOML tree, so every effective value still points at the
//! line of the layer that set it. `[alerting]` is layered the same way: base, then
//! `environments.<env>.alerting`. Built-in defaults are applied later, by the model builder.

mod merge;

use std::borrow::Cow;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;
use crate::spec::{Document, RawAlerting, RawDatastore, RawEnvironment, RawIngress, RawJob, RawService, Span, Spanned};

pub struct EnvView {
    pub name: String,
    pub name_span: Span,
    pub settings: RawEnvironment,
    pub ingress: Option<RawIngress>,
    /// Shared with the environments that resolve the service the same way.
    pub services: Vec<Arc<ServiceView>>,
    pub jobs: Vec<JobView>,
    pub datastores: Vec<DatastoreView>,
    /// `[alerting]` with `environments.<env>.alerting` merged over it.
    pub alerting: Option<RawAlerting>,
}

/// A job: `[jobs.<job>]` with `environments.<env>.jobs.<job>` merged over it.
pub struct JobView {
    pub name: String,
    pub name_span: Span,
    pub raw: RawJob,
}

pub struct ServiceView {
    pub name: String,
    pub name_span: Span,
    pub raw: RawService,
    /// Which layer set each value, for pointing at the layer that made a pair inconsistent.
    pub origins: Origins,
    /// The tier's `paging` (tier merged with the environment's tier override).
    pub tier_paging: Option<Spanned<bool>>,
}

/// The spans of every value of each layer, lowest layer first.
#[derive(Debug, Default)]
pub struct Origins(Vec<Vec<Span>>);

impl Origins {
    fn of<'a>(layers: impl IntoIterator<Item = Option<&'a toml::Spanned<DeTable<'a>>>>) -> Self {
        Self(
            layers
                .into_iter()
                .map(|layer| {
                    let mut spans = Vec::new();
                    if let Some(table) = layer {
                        collect_spans(table.get_ref(), &mut spans);
                    }
                    spans
                })
                .collect(),
        )
    }

    /// The layer (0 = lowest) that wrote the value at `span`.
    pub fn rank(&self, span: &Span) -> Option<usize> {
        self.0.iter().rposition(|spans| spans.contains(span))
    }

    /// Two values that disagree, the one from the higher layer first (ties: `a` first): a
    /// diagnostic points at the value the most specific layer set, the other as a label.
    pub fn higher_first<'s>(&self, a: &'s Span, b: &'s Span) -> (&'s Span, &'s Span) {
        if self.rank(b) > self.rank(a) { (b, a) } else { (a, b) }
    }
}

fn collect_spans(table: &DeTable<'_>, spans: &mut Vec<Span>) {
    for value in table.values() {
        spans.push(value.span());
        match value.get_ref() {
            DeValue::Table(inner) => collect_spans(inner, spans),
            DeValue::Array(items) => spans.extend(items.iter().map(toml::Spanned::span)),
            _ => {}
        }
    }
}

pub struct DatastoreView {
    pub name: String,
    pub name_span: Span,
    pub raw: RawDatastore,
}

/// Every environment's views, with the problems found. Services are resolved in parallel,
/// and a service that no environment layers (no `container_defaults`, tier override or
/// service override there) is resolved once and shared by those environments.
///
/// The `[services.<name>]` tables are moved out of the document (their keys stay, with their
/// spans): each is read into its views and freed, rather than copied, since they are the
/// bulk of a large spec. After this, the document holds them as empty tables.
pub fn resolve(document: &mut Document<'_>) -> (Vec<EnvView>, Vec<Diagnostic>) {
    let bodies = take_services(document);
    let document = &*document;
    let environments: Vec<(&String, &RawEnvironment)> = document.spec.environments.iter().collect();
    let env_names: Vec<&str> = environments.iter().map(|(name, _)| name.as_str()).collect();
    let services = crate::parallel::map_into(bodies, |(name, body)| in_every_env(document, &env_names, &name, body));
    let resolved = crate::parallel::map(&environments, |(name, settings)| {
        let mut problems = Vec::new();
        let mut resolver = Resolver {
            document,
            env: name,
            problems: &mut problems,
        };
        let view = EnvView {
            name: (*name).clone(),
            name_span: document.key_span(&["environments", name]).unwrap_or(0..0),
            settings: (*settings).clone(),
            ingress: resolver.ingress(),
            services: Vec::new(),
            jobs: document.spec.jobs.keys().filter_map(|job| resolver.job(job)).collect(),
            datastores: document
                .spec
                .datastores
                .keys()
                .filter_map(|ds| resolver.datastore(ds))
                .collect(),
            alerting: resolver.alerting(),
        };
        (view, problems)
    });
    let mut problems = Vec::new();
    let mut environments: Vec<EnvView> = resolved
        .into_iter()
        .map(|(view, found)| {
            problems.extend(found);
            view
        })
        .collect();
    for (views, found) in services {
        problems.extend(found);
        for (env, view) in environments.iter_mut().zip(views) {
            env.services.extend(view);
        }
    }
    (environments, problems)
}

type Table<'d> = toml::Spanned<DeTable<'d>>;

/// Each service's name and table, moved out of `[services]` (in name order); a service
/// whose value is not a table (a shape error already reported) has none.
fn take_services<'d>(document: &mut Document<'d>) -> Vec<(String, Option<Table<'d>>)> {
    let Some(DeValue::Table(services)) = document.root.get_mut().get_mut("services").map(toml::Spanned::get_mut) else {
        return Vec::new();
    };
    services
        .iter_mut()
        .filter(|(name, _)| document.spec.services.contains_key(name.get_ref().as_ref()))
        .map(|(name, value)| {
            let span = value.span();
            let body = match value.get_mut() {
                DeValue::Table(table) => Some(toml::Spanned::new(span, std::mem::take(table))),
                _ => None,
            };
            (name.get_ref().to_string(), body)
        })
        .collect()
}

/// One service's view in each environment (in the order of `envs`), and its problems.
fn in_every_env<'d>(
    document: &Document<'d>,
    envs: &[&str],
    name: &str,
    base: Option<Table<'d>>,
) -> (Vec<Option<Arc<ServiceView>>>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some(base) = base else {
        return (vec![None; envs.len()], problems);
    };
    let layered: Vec<bool> = envs
        .iter()
        .map(|env| Resolver::layers_service(document, env, name, &base))
        .collect();
    if !layered.contains(&true) {
        // The common case: one view for every environment, read from the table itself.
        let mut resolver = Resolver {
            document,
            env: envs.first().copied().unwrap_or_default(),
            problems: &mut problems,
        };
        let view = resolver.service(name, base).map(Arc::new);
        return (vec![view; envs.len()], problems);
    }
    let mut views = Vec::with_capacity(envs.len());
    let mut shared = None;
    for (env, layered) in envs.iter().zip(&layered) {
        let mut resolver = Resolver {
            document,
            env,
            problems: &mut problems,
        };
        views.push(if *layered {
            resolver.service(name, base.clone()).map(Arc::new)
        } else {
            shared
                .get_or_insert_with(|| resolver.service(name, base.clone()).map(Arc::new))
                .clone()
        });
    }
    if shared.is_none() {
        // Every environment layers the service, so a value of `[services.<name>]` may be
        // overridden everywhere: read that table alone too, so its errors are still found.
        let mut resolver = Resolver {
            document,
            env: "",
            problems: &mut problems,
        };
        let _: Option<RawService> = resolver.deserialize(base);
    }
    (views, problems)
}

struct Resolver<'r, 'd> {
    document: &'r Document<'d>,
    env: &'r str,
    problems: &'r mut Vec<Diagnostic>,
}

impl<'d> Resolver<'_, 'd> {
    fn layer(&self, path: &[&str]) -> Option<toml::Spanned<DeTable<'d>>> {
        self.document.spanned_table(path)
    }

    fn env_layer(&self, path: &[&str]) -> Option<toml::Spanned<DeTable<'d>>> {
        let full: Vec<&str> = ["environments", self.env].iter().chain(path).copied().collect();
        self.layer(&full)
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&mut self, table: toml::Spanned<DeTable<'d>>) -> Option<T> {
        crate::spec::deserialize::<T>(table)
            .map_err(|problem| self.problems.extend(problem))
            .ok()
    }

    fn ingress(&mut self) -> Option<RawIngress> {
        let layers = [self.layer(&["ingress"]), self.env_layer(&["ingress"])];
        let merged = merge::layers(layers.into_iter().flatten())?;
        self.deserialize(merged)
    }

    fn alerting(&mut self) -> Option<RawAlerting> {
        let layers = [self.layer(&["alerting"]), self.env_layer(&["alerting"])];
        let merged = merge::layers(layers.into_iter().flatten())?;
        self.deserialize(merged)
    }

    fn datastore(&mut self, name: &str) -> Option<DatastoreView> {
        let layers = [self.layer(&["datastores", name]), self.env_layer(&["datastores", name])];
        let merged = merge::layers(layers.into_iter().flatten())?;
        let raw = self.deserialize(merged)?;
        let name_span = self.document.key_span(&["datastores", name]).unwrap_or(0..0);
        Some(DatastoreView {
            name: name.to_string(),
            name_span,
            raw,
        })
    }

    fn job(&mut self, name: &str) -> Option<JobView> {
        let layers = [self.layer(&["jobs", name]), self.env_layer(&["jobs", name])];
        let merged = merge::layers(layers.into_iter().flatten())?;
        let raw = self.deserialize(merged)?;
        let name_span = self.document.key_span(&["jobs", name]).unwrap_or(0..0);
        Some(JobView {
            name: name.to_string(),
            name_span,
            raw,
        })
    }

    /// Whether `env` adds a layer to the service: container defaults, an override of the
    /// service, or of the tier it names.
    fn layers_service(document: &Document<'_>, env: &str, name: &str, base: &Table<'_>) -> bool {
        let in_env = |path: &[&str]| {
            let full: Vec<&str> = ["environments", env].iter().chain(path).copied().collect();
            document.table(&full).is_some()
        };
        if in_env(&["container_defaults"]) || in_env(&["services", name]) {
            return true;
        }
        match base.get_ref().get("tier").map(toml::Spanned::get_ref) {
            Some(DeValue::String(tier)) => in_env(&["tiers", tier]),
            _ => false,
        }
    }

    fn service(&mut self, name: &str, base: Table<'d>) -> Option<ServiceView> {
        let override_layer = self.env_layer(&["services", name]);
        let tier = [Some(&base), override_layer.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(|layer| match layer.get_ref().get("tier").map(toml::Spanned::get_ref) {
                Some(DeValue::String(tier)) => Some(tier.to_string()),
                _ => None,
            })
            .next_back();
        let tier_layers = tier.map_or([None, None], |tier| {
            [self.layer(&["tiers", &tier]), self.env_layer(&["tiers", &tier])]
        });
        let defaults = self
            .env_layer(&["container_defaults"])
            .map(|table| merge::nest("resources", table));
        let origins = Origins::of([
            defaults.as_ref(),
            tier_layers[0].as_ref(),
            tier_layers[1].as_ref(),
            Some(&base),
            override_layer.as_ref(),
        ]);
        let mut tier_layer = merge::layers(tier_layers.into_iter().flatten());
        let tier_paging = tier_layer.as_mut().and_then(|layer| merge::take_bool(layer, "paging"));
        let layers = [defaults, tier_layer, Some(base), override_layer];
        let merged = merge::layers(layers.into_iter().flatten())?;
        let raw = self.deserialize(merged)?;
        let name_span = self.document.key_span(&["services", name]).unwrap_or(0..0);
        Some(ServiceView {
            name: name.to_string(),
            name_span,
            raw,
            origins,
            tier_paging,
        })
    }
}

fn key(name: &'static str, span: Span) -> toml::Spanned<Cow<'static, str>> {
    toml::Spanned::new(span, Cow::Borrowed(name))
}

#[cfg(test)]
mod tests;
