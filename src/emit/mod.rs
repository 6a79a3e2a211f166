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

/// All Kubernetes documents as one YAML stream for `kubectl apply -f -` (the kustomization
/// files are left out). Each environment's Namespace comes first, so it exists before the
/// objects that live in it. A `# Source: <path>` comment opens each file's documents, as in
/// `helm template`, naming the file `build -o` would write.
pub fn kubernetes_stream(files: &[OutputFile]) -> String {
    let mut documents: Vec<&OutputFile> = files
        .iter()
        .filter(|f| f.path.starts_with("kubernetes/") && !f.path.ends_with("/kustomization.yaml"))
        .collect();
    documents.sort_by_key(|f| {
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
    // One allocation of the final size: the stream of 5,000 services is 67 MB.
    let size: usize = documents.iter().map(|f| f.path.len() + f.contents.len() + 16).sum();
    let mut stream = String::with_capacity(size);
    for (index, file) in documents.iter().enumerate() {
        if index > 0 {
            stream.push_str("---\n");
        }
        stream.push_str("# Source: ");
        stream.push_str(&file.path);
        stream.push('\n');
        stream.push_str(&file.contents);
    }
    stream
}
