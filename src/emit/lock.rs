//! One writer per output folder: an advisory `flock` on `DIR/.platc-lock`, exclusive for a
//! build, shared for `--check`. A run that cannot get the lock retries for a while, then
//! fails naming the lock file. The lock is released when the process ends, however it ends.

use std::fs::File;
use std::io;
use std::time::{Duration, Instant};

use rustix::fs::FlockOperation;
use rustix::io::Errno;

use super::confined::{Folder, failure};

pub const LOCK_FILE: &str = ".platc-lock";

/// How long a run waits for another one to finish before giving up.
pub const WAIT: Duration = Duration::from_secs(5);

/// Held for as long as the run writes (or reads, for `--check`).
pub struct Lock {
    _file: File,
}

pub fn acquire(root: &Folder, exclusive: bool, wait: Duration) -> io::Result<Lock> {
    let file = root.open_lock_file(LOCK_FILE)?;
    let operation = if exclusive {
        FlockOperation::NonBlockingLockExclusive
    } else {
        FlockOperation::NonBlockingLockShared
    };
    let started = Instant::now();
    loop {
        match rustix::fs::flock(&file, operation) {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(Errno::WOULDBLOCK | Errno::INTR) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(Errno::WOULDBLOCK) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another platc build is writing {} (it holds {}); waited {} s, try again when it has finished",
                        root.path().display(),
                        root.child(LOCK_FILE).display(),
                        wait.as_secs_f32()
                    ),
                ));
            }
            Err(e) => return Err(failure("lock", &root.child(LOCK_FILE), e)),
        }
    }
}
