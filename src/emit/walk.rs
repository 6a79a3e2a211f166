//! Looking up relative paths (`kubernetes/prod/services/api.yaml`) in the output folder one
//! component at a time, never following a link, with the folders opened on the way cached.

use std::collections::HashMap;
use std::io;

use super::confined::{Folder, Kind};

/// What a relative path leads to.
pub enum Lookup<'a> {
    /// The last component's folder exists; the entry in it is `kind` (or absent).
    Found {
        folder: &'a Folder,
        name: &'a str,
        kind: Option<Kind>,
    },
    /// A folder on the way is missing.
    Absent,
    /// A folder on the way is a link or a file: the message says which.
    Blocked(String),
}

enum Node {
    Folder(Folder),
    Absent,
    Blocked(String),
}

pub struct Walker<'r> {
    root: &'r Folder,
    folders: HashMap<String, Node>,
}

impl<'r> Walker<'r> {
    pub fn new(root: &'r Folder) -> Walker<'r> {
        Walker {
            root,
            folders: HashMap::new(),
        }
    }

    pub fn lookup<'a>(&'a mut self, path: &'a str) -> io::Result<Lookup<'a>> {
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        self.open_folder(parent)?;
        let folder = if parent.is_empty() {
            self.root
        } else {
            match &self.folders[parent] {
                Node::Folder(folder) => folder,
                Node::Absent => return Ok(Lookup::Absent),
                Node::Blocked(reason) => return Ok(Lookup::Blocked(reason.clone())),
            }
        };
        let kind = folder.kind(name)?.map(|(kind, _)| kind);
        Ok(Lookup::Found { folder, name, kind })
    }

    /// Opens (and caches) `path` and every folder above it.
    fn open_folder(&mut self, path: &str) -> io::Result<()> {
        if path.is_empty() || self.folders.contains_key(path) {
            return Ok(());
        }
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        self.open_folder(parent)?;
        let above = if parent.is_empty() {
            Some(self.root)
        } else {
            match &self.folders[parent] {
                Node::Folder(folder) => Some(folder),
                Node::Absent => None,
                Node::Blocked(reason) => {
                    let reason = reason.clone();
                    self.folders.insert(path.to_string(), Node::Blocked(reason));
                    return Ok(());
                }
            }
        };
        let node = match above {
            None => Node::Absent,
            Some(above) => match above.kind(name)? {
                None => Node::Absent,
                Some((Kind::Folder, _)) => above.open(name)?.map_or(Node::Absent, Node::Folder),
                Some((Kind::Link, _)) => Node::Blocked(format!("{} is a symbolic link", above.child(name).display())),
                Some(_) => Node::Blocked(format!("{} is not a folder", above.child(name).display())),
            },
        };
        self.folders.insert(path.to_string(), node);
        Ok(())
    }
}
