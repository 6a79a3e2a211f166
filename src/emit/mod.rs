//! Stage 6, emit: the Kubernetes stream for stdout, or the output tree on disk.

mod confined;
mod header;
mod hook;
mod journal;
mod lock;
mod manifest;
mod stage;
#[cfg(test)]
mod tests;
mod tree;
mod walk;

pub use header::{header, mark_generated};
pub use lock::WAIT as LOCK_WAIT;
pub use tree::{Drift, Scope, TreeError, Written, check_tree, write_tree, write_tree_from};

use crate::render::OutputFile;

/// All Kubernetes documents as one YAML stream for `kubectl apply -f -`, as the pieces to
/// write one after the other (the kustomization files are left out). Each environment's
/// Namespace comes first, so it exists before the objects that live in it. A
/// `# Source: <path>` comment opens each file's documents, as in `helm template`, naming the
/// file `build -o` would write, followed by `header`, the first line of that file (a piece of
/// its own, so that no file is copied to put it in front).
pub fn kubernetes_stream<'a>(files: &'a [OutputFile], header: &'a str) -> Vec<&'a str> {
    let mut documents: Vec<&OutputFile> = files
        .iter()
        .filter(|f| f.path.starts_with("kubernetes/") && !f.path.ends_with("/kustomization.yaml"))
        .collect();
    documents.sort_by_cached_key(|f| {
        let env_dir = f
            .path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .split('/')
            .take(2)
            .collect::<Vec<_>>()
            .join("/");
        (env_dir, !f.path.ends_with("/namespace.yaml"), f.path.clone())
    });
    // The pieces, in order, rather than one string: the stream of 5,000 services is 67 MB,
    // and a copy of it would be fresh memory the kernel must hand over page by page.
    let mut stream = Vec::with_capacity(documents.len() * 6);
    for (index, file) in documents.iter().enumerate() {
        if index > 0 {
            stream.push("---\n");
        }
        stream.extend(["# Source: ", file.path.as_str(), "\n", header, file.contents.as_str()]);
    }
    stream
}
