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

use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;
use crate::spec::{Document, RawAlerting, RawDatastore, RawEnvironment, RawIngress, RawJob, RawService, Span, Spanned};

pub struct EnvView {
    pub name: String,
    pub name_span: Span,
    pub settings: RawEnvironment,
    pub ingress: Option<RawIngress>,
    pub services: Vec<ServiceView>,
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

/// Every environment's views, resolved in parallel (each reads only the document), with the
/// problems in environment order.
pub fn resolve(document: &Document<'_>) -> (Vec<EnvView>, Vec<Diagnostic>) {
    let environments: Vec<(&String, &RawEnvironment)> = document.spec.environments.iter().collect();
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
            services: document
                .spec
                .services
                .keys()
                .filter_map(|svc| resolver.service(svc))
                .collect(),
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
    let environments = resolved
        .into_iter()
        .map(|(view, found)| {
            problems.extend(found);
            view
        })
        .collect();
    (environments, problems)
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

    fn service(&mut self, name: &str) -> Option<ServiceView> {
        let base = self.layer(&["services", name])?;
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
