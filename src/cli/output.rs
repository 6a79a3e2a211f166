//! Writing to stdout without panicking: when the reader goes away (`platc build | head`),
//! the rest of the output is dropped and the run ends quietly with success, as `cargo` and
//! `rg` do.
#![allow(clippy::print_stdout)] // this module is the one writer of stdout

use std::io::{ErrorKind, Write};

pub struct Stdout;

impl Stdout {
    /// Writes all of `text`; a closed pipe is not an error.
    pub fn write(text: &str) -> anyhow::Result<()> {
        Self::write_pieces(&[text])
    }

    /// Writes `pieces` one after the other, through one buffer (stdout alone flushes at every
    /// line break); a closed pipe is not an error.
    pub fn write_pieces(pieces: &[&str]) -> anyhow::Result<()> {
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written = pieces
            .iter()
            .try_for_each(|piece| stdout.write_all(piece.as_bytes()))
            .and_then(|()| stdout.flush());
        match written {
            Err(error) if error.kind() != ErrorKind::BrokenPipe => {
                Err(anyhow::Error::new(error).context("cannot write to standard output"))
            }
            _ => Ok(()),
        }
    }
}
