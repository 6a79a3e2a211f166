//! File operations confined to the output folder.
//!
//! Every operation works on an open folder handle and one plain name inside it (`openat`,
//! `mkdirat`, `renameat2`, `unlinkat`, `linkat`), and every folder handle is opened with
//! `O_NOFOLLOW | O_DIRECTORY` from another such handle, starting at the output folder. So no
//! operation can follow a symbolic link: a link inside the output folder is never written
//! through, and platc can create, change or delete nothing outside the folder it was given.
//! A link where platc would write is an error naming it. Every error names the file and the
//! operation that failed.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, RenameFlags};
use rustix::io::Errno;

use super::hook;

/// What a name in a folder is, looked at without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Folder,
    File,
    Link,
    Other,
}

/// An open folder inside (or being) the output folder, with its path for messages.
pub struct Folder {
    fd: OwnedFd,
    path: PathBuf,
}

/// An `io::Error` that says what was done to which file.
pub fn failure(operation: &str, path: &Path, error: impl Into<io::Error>) -> io::Error {
    let error = error.into();
    io::Error::new(error.kind(), format!("cannot {operation} {}: {error}", path.display()))
}

fn is_link_error(errno: Errno) -> bool {
    errno == Errno::LOOP || errno == Errno::NOTDIR
}

impl Folder {
    /// The output folder itself. It may be a link: the user chose it.
    pub fn open_root(path: &Path) -> io::Result<Folder> {
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| failure("open the folder", path, e))?;
        Ok(Folder {
            fd,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn child(&self, name: impl AsRef<OsStr>) -> PathBuf {
        self.path.join(name.as_ref())
    }

    /// What `name` is, or `None` when it does not exist; the inode number comes with it.
    pub fn kind(&self, name: impl AsRef<OsStr>) -> io::Result<Option<(Kind, u64)>> {
        let name = name.as_ref();
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some((kind_of(FileType::from_raw_mode(stat.st_mode)), stat.st_ino))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(failure("look at", &self.child(name), e)),
        }
    }

    /// The sub-folder `name`, or `None` when there is none; a link or a file there is an error.
    pub fn open(&self, name: impl AsRef<OsStr>) -> io::Result<Option<Folder>> {
        let name = name.as_ref();
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => Ok(Some(Folder {
                fd,
                path: self.child(name),
            })),
            Err(Errno::NOENT) => Ok(None),
            Err(e) if is_link_error(e) => Err(self.not_a_folder(name)),
            Err(e) => Err(failure("open the folder", &self.child(name), e)),
        }
    }

    fn not_a_folder(&self, name: &OsStr) -> io::Error {
        let path = self.child(name);
        let what = match self.kind(name) {
            Ok(Some((Kind::Link, _))) => "a symbolic link; platc never writes through links",
            _ => "not a folder",
        };
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is {what}, but platc needs a folder there", path.display()),
        )
    }

    /// The sub-folder `name`, created when missing.
    pub fn create(&self, name: impl AsRef<OsStr>) -> io::Result<Folder> {
        let name = name.as_ref();
        hook::step(&self.child(name))?;
        match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(failure("create the folder", &self.child(name), e)),
        }
        self.open(name)?
            .ok_or_else(|| failure("open the folder", &self.child(name), Errno::NOENT))
    }

    /// Creates the new file `name` (never replacing anything) holding `contents`.
    pub fn write_new(&self, name: impl AsRef<OsStr>, contents: &[u8]) -> io::Result<()> {
        let name = name.as_ref();
        let path = self.child(name);
        hook::step(&path)?;
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o644))
            .map_err(|e| failure("create", &path, e))?;
        File::from(fd)
            .write_all(contents)
            .map_err(|e| failure("write", &path, e))
    }

    /// The bytes of the file `name`, or `None` when it does not exist; a link is an error.
    pub fn read(&self, name: impl AsRef<OsStr>) -> io::Result<Option<Vec<u8>>> {
        let name = name.as_ref();
        let path = self.child(name);
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            Err(Errno::LOOP) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} is a symbolic link; platc never reads through links", path.display()),
                ));
            }
            Err(e) => return Err(failure("open", &path, e)),
        };
        let mut bytes = Vec::new();
        File::from(fd)
            .read_to_end(&mut bytes)
            .map_err(|e| failure("read", &path, e))?;
        Ok(Some(bytes))
    }

    /// The names in this folder with what each is, sorted by name.
    pub fn entries(&self) -> io::Result<Vec<(OsString, Kind)>> {
        let dir = Dir::read_from(&self.fd).map_err(|e| failure("list", &self.path, e))?;
        let mut entries = Vec::new();
        for entry in dir {
            let entry = entry.map_err(|e| failure("list", &self.path, e))?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes()).to_os_string();
            if name == "." || name == ".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Unknown => self.kind(&name)?.map_or(Kind::Other, |(kind, _)| kind),
                known => kind_of(known),
            };
            entries.push((name, kind));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    /// Gives `into/name` the same file (a hard link; a copy where links are not allowed).
    pub fn share(&self, name: &OsStr, kind: Kind, into: &Folder) -> io::Result<()> {
        let target = into.child(name);
        hook::step(&target)?;
        match rustix::fs::linkat(&self.fd, name, &into.fd, name, AtFlags::empty()) {
            Ok(()) => Ok(()),
            Err(e) if kind == Kind::File && (e == Errno::PERM || e == Errno::XDEV || e == Errno::MLINK) => {
                let contents = self.read(name)?.unwrap_or_default();
                into.write_new(name, &contents)
            }
            Err(e) => Err(failure("carry over", &self.child(name), e)),
        }
    }

    /// Renames `name` to `into/new_name`: `exchange` swaps the two atomically, otherwise the
    /// rename replaces only an empty folder.
    pub fn rename(&self, name: &OsStr, into: &Folder, new_name: &OsStr, exchange: bool) -> io::Result<()> {
        let from = self.child(name);
        let to = into.child(new_name);
        hook::step(&to)?;
        let flags = if exchange {
            RenameFlags::EXCHANGE
        } else {
            RenameFlags::empty()
        };
        let operation = if exchange { "swap" } else { "move" };
        rustix::fs::renameat_with(&self.fd, name, &into.fd, new_name, flags).map_err(|e| {
            let error = io::Error::from(e);
            io::Error::new(
                error.kind(),
                format!("cannot {operation} {} and {}: {error}", from.display(), to.display()),
            )
        })
    }

    /// Removes the file or empty folder `name` (a link itself, never what it points to).
    pub fn remove(&self, name: &OsStr, kind: Kind) -> io::Result<()> {
        let path = self.child(name);
        hook::step(&path)?;
        let flags = if kind == Kind::Folder {
            AtFlags::REMOVEDIR
        } else {
            AtFlags::empty()
        };
        match rustix::fs::unlinkat(&self.fd, name, flags) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(failure("remove", &path, e)),
        }
    }

    /// Removes `name` and, if it is a folder, everything in it; links are removed, not followed.
    pub fn remove_all(&self, name: &OsStr) -> io::Result<()> {
        let Some((kind, _)) = self.kind(name)? else {
            return Ok(());
        };
        if kind == Kind::Folder
            && let Some(folder) = self.open(name)?
        {
            for (child, _) in folder.entries()? {
                folder.remove_all(&child)?;
            }
        }
        self.remove(name, kind)
    }

    /// Removes the folder `name` if it is empty; says whether it did.
    pub fn remove_if_empty(&self, name: &OsStr) -> io::Result<bool> {
        hook::step(&self.child(name))?;
        match rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR) {
            Ok(()) => Ok(true),
            Err(Errno::NOTEMPTY | Errno::EXIST | Errno::NOENT | Errno::NOTDIR) => Ok(false),
            Err(e) => Err(failure("remove", &self.child(name), e)),
        }
    }

    /// The inode number of this folder (the journal identifies staged folders by it).
    pub fn inode(&self) -> io::Result<u64> {
        rustix::fs::fstat(&self.fd)
            .map(|stat| stat.st_ino)
            .map_err(|e| failure("look at", &self.path, e))
    }

    /// Opens (creating) the plain file `name` for locking; a link there is an error.
    pub fn open_lock_file(&self, name: &str) -> io::Result<File> {
        let path = self.child(name);
        let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o644))
            .map(File::from)
            .map_err(|e| failure("open the lock file", &path, e))
    }
}

fn kind_of(file_type: FileType) -> Kind {
    match file_type {
        FileType::Directory => Kind::Folder,
        FileType::RegularFile => Kind::File,
        FileType::Symlink => Kind::Link,
        _ => Kind::Other,
    }
}
