//! Stage 4, render: the validated model → output files, one module per target.
//!
//! Templates own the structure; data enters them only through minijinja's JSON auto-escape
//! (every template is named `*.yaml.j2` or `*.json.j2`), so any string from the spec comes
//! out as a quoted, escaped scalar. Undefined variables are errors.

pub mod alertmanager;
pub mod compose;
pub mod grafana;
pub mod kubernetes;
pub mod prometheus;
pub mod promql;
mod templates;
pub(crate) mod yaml;

use crate::model::Platform;

/// One generated file: its path relative to the output root (always `/`-separated) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

/// A template failed to render: always a compiler bug, never the user's input.
#[derive(Debug)]
pub struct RenderError(pub String);

impl From<minijinja::Error> for RenderError {
    fn from(error: minijinja::Error) -> Self {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        RenderError(text)
    }
}

/// Which outputs to produce. `build -o` writes all of them; the stdout stream needs only
/// Kubernetes, and rendering the rest for nothing would cost most of the run.
#[derive(Debug, Clone, Copy)]
pub struct Targets {
    pub kubernetes: bool,
    pub compose: bool,
    pub observability: bool,
}

impl Targets {
    pub const ALL: Targets = Targets {
        kubernetes: true,
        compose: true,
        observability: true,
    };
    pub const KUBERNETES: Targets = Targets {
        kubernetes: true,
        compose: false,
        observability: false,
    };
}

/// Every file of every target, sorted by path.
pub fn render(platform: &Platform) -> Result<Vec<OutputFile>, RenderError> {
    render_targets(platform, Targets::ALL)
}

/// The files of the chosen targets, sorted by path. Environments render in parallel.
pub fn render_targets(platform: &Platform, targets: Targets) -> Result<Vec<OutputFile>, RenderError> {
    let env = templates::environment();
    let per_environment: Vec<Result<Vec<OutputFile>, RenderError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = platform
            .environments
            .iter()
            .map(|environment| scope.spawn(|| render_environment(&env, platform, environment, targets)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(RenderError("a renderer panicked".into())))
            })
            .collect()
    });
    let mut files = Vec::new();
    for result in per_environment {
        files.extend(result?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn render_environment(
    env: &minijinja::Environment<'static>,
    platform: &Platform,
    environment: &crate::model::Environment,
    targets: Targets,
) -> Result<Vec<OutputFile>, RenderError> {
    let mut files = Vec::new();
    for target in Target::ALL {
        if target.wanted(environment, targets) {
            files.extend(render_folder(env, platform, &Folder { target, environment })?);
        }
    }
    Ok(files)
}

/// The renderer of one target folder: it writes only under `<target>/<env>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Alertmanager,
    Compose,
    Grafana,
    Kubernetes,
    Prometheus,
}

impl Target {
    /// Every target, in the order of their folder names.
    pub const ALL: [Target; 5] = [
        Target::Alertmanager,
        Target::Compose,
        Target::Grafana,
        Target::Kubernetes,
        Target::Prometheus,
    ];

    fn wanted(self, environment: &crate::model::Environment, targets: Targets) -> bool {
        match self {
            Target::Kubernetes => targets.kubernetes && environment.kubernetes,
            Target::Compose => targets.compose && environment.compose,
            Target::Alertmanager | Target::Grafana | Target::Prometheus => targets.observability,
        }
    }
}

/// One environment folder of one target (`kubernetes/prod`): the unit `build -o` renders,
/// verifies and writes before it renders the next.
pub struct Folder<'p> {
    pub target: Target,
    pub environment: &'p crate::model::Environment,
}

/// The folders of the chosen targets, in path order (target, then environment name).
pub fn folders(platform: &Platform, targets: Targets) -> Vec<Folder<'_>> {
    let mut environments: Vec<&crate::model::Environment> = platform.environments.iter().collect();
    environments.sort_by(|a, b| a.name.cmp(&b.name));
    Target::ALL
        .into_iter()
        .flat_map(|target| {
            environments
                .iter()
                .map(move |environment| Folder { target, environment })
        })
        .filter(|folder| folder.target.wanted(folder.environment, targets))
        .collect()
}

/// The files of one folder, sorted by path.
pub fn render_folder(
    env: &minijinja::Environment<'static>,
    platform: &Platform,
    folder: &Folder,
) -> Result<Vec<OutputFile>, RenderError> {
    let environment = folder.environment;
    let mut files = match folder.target {
        Target::Kubernetes => kubernetes::render(env, platform, environment)?,
        Target::Compose => compose::render(env, platform, environment)?,
        Target::Prometheus => prometheus::render(env, platform, environment)?,
        Target::Grafana => grafana::render(env, platform, environment)?,
        Target::Alertmanager => alertmanager::render(platform, environment)?,
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The template environment every renderer uses (built once per run).
pub fn templates() -> minijinja::Environment<'static> {
    templates::environment()
}

/// `(name, contents)` pairs as files under `dir`.
pub(crate) fn in_folder(dir: &str, files: Vec<(String, String)>) -> Vec<OutputFile> {
    files
        .into_iter()
        .map(|(name, contents)| OutputFile {
            path: format!("{dir}/{name}"),
            contents,
        })
        .collect()
}

/// Renders one template with a serializable context.
pub(crate) fn render_template(
    env: &minijinja::Environment<'static>,
    name: &str,
    context: impl serde::Serialize,
) -> Result<String, RenderError> {
    let mut text = env
        .get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(&context)))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}
