//! Stage 6, emit: the Kubernetes stream for stdout, or the output tree on disk.

mod tree;

pub use tree::{Drift, Scope, check_tree, write_tree};

use crate::render::OutputFile;

/// All Kubernetes documents as one YAML stream (the kustomization files are left out).
pub fn kubernetes_stream(files: &[OutputFile]) -> String {
    let documents: Vec<&str> = files
        .iter()
        .filter(|f| f.path.starts_with("kubernetes/") && !f.path.ends_with("/kustomization.yaml"))
        .map(|f| f.contents.as_str())
        .collect();
    documents.join("---\n")
}
