//! Config files of a workload: one `ConfigMap` holding every file verbatim, each key mounted
//! read-only at exactly its path (`subPath`), and a content hash for the pod template so a
//! changed file rolls the pods (a `subPath` mount never sees updates by itself).

use serde::Serialize;

use crate::model::ConfigFile;

#[derive(Serialize)]
pub struct FilesView {
    /// The `ConfigMap`'s name, `<workload>-files`.
    pub name: String,
    pub items: Vec<FileItem>,
    pub hash: String,
}

#[derive(Serialize)]
pub struct FileItem {
    pub key: String,
    pub path: String,
    pub content: String,
}

pub fn view(workload: &str, files: &[ConfigFile]) -> Option<FilesView> {
    if files.is_empty() {
        return None;
    }
    let mut keys: Vec<String> = Vec::new();
    let items: Vec<FileItem> = files
        .iter()
        .map(|file| {
            let key = unique_key(&file.path, &keys);
            keys.push(key.clone());
            FileItem {
                key,
                path: file.path.clone(),
                content: file.content.clone(),
            }
        })
        .collect();
    Some(FilesView {
        name: format!("{workload}-files"),
        hash: hash(files),
        items,
    })
}

/// A `ConfigMap` key (`[-._a-zA-Z0-9]+`, at most 253) from the container path.
fn unique_key(path: &str, taken: &[String]) -> String {
    let base: String = path
        .trim_start_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(240)
        .collect();
    let base = if base.chars().all(|c| c == '.') {
        format!("file{base}")
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// FNV-1a (64 bit) over every path and content, length-prefixed so no two different sets
/// of files feed it the same bytes. Change detection only: nothing here is a secret.
pub fn hash(files: &[ConfigFile]) -> String {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            state ^= u64::from(*byte);
            state = state.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in files {
        feed(file.path.as_bytes());
        feed(file.content.as_bytes());
    }
    format!("{state:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, content: &str) -> ConfigFile {
        ConfigFile {
            path: path.into(),
            source: "x".into(),
            content: content.into(),
        }
    }

    #[test]
    fn keys_are_valid_and_unique() {
        let files = [
            file("/app/config/app.json", "{}"),
            file("/app/config-app.json", ""),
            file("/a b/c", ""),
        ];
        let view = view("web", &files).unwrap();
        let keys: Vec<&str> = view.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["app-config-app.json", "app-config-app.json-2", "a-b-c"]);
    }

    #[test]
    fn the_hash_changes_with_any_byte() {
        let one = hash(&[file("/a", "x")]);
        assert_eq!(one, hash(&[file("/a", "x")]));
        assert_ne!(one, hash(&[file("/a", "x ")]));
        assert_ne!(one, hash(&[file("/b", "x")]));
        assert_ne!(hash(&[file("/a", "bc")]), hash(&[file("/ab", "c")]));
    }
}
