//! Writing to stdout without panicking: when the reader goes away (`platc build | head`),
//! the rest of the output is dropped and the run ends quietly with success, as `cargo` and
//! `rg` do.
#![allow(clippy::print_stdout)] // this module is the one writer of stdout

use std::io::{ErrorKind, IoSlice, Write};

pub struct Stdout;

impl Stdout {
    /// Writes all of `text`; a closed pipe is not an error.
    pub fn write(text: &str) -> anyhow::Result<()> {
        Self::write_pieces(&[text])
    }

    /// Writes `pieces` one after the other, a batch of them per system call (`writev`), so
    /// that the kernel copies them from where they are, not from a buffer they were copied to
    /// first; a closed pipe is not an error.
    pub fn write_pieces(pieces: &[&str]) -> anyhow::Result<()> {
        match write_all_vectored(&mut std::io::stdout().lock(), pieces) {
            Err(error) if error.kind() != ErrorKind::BrokenPipe => {
                Err(anyhow::Error::new(error).context("cannot write to standard output"))
            }
            _ => Ok(()),
        }
    }
}

/// The most slices one `writev` takes on Linux (`IOV_MAX`); more are passed in the next call.
const SLICES_PER_WRITE: usize = 1024;

/// Writes every piece, in order, however many bytes each call takes.
fn write_all_vectored(out: &mut impl Write, pieces: &[&str]) -> std::io::Result<()> {
    for batch in pieces.chunks(SLICES_PER_WRITE) {
        // An empty piece writes nothing: left out, a batch of them is no `WriteZero`.
        let mut slices: Vec<IoSlice<'_>> = batch
            .iter()
            .filter(|piece| !piece.is_empty())
            .map(|piece| IoSlice::new(piece.as_bytes()))
            .collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            match out.write_vectored(rest) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(written) => IoSlice::advance_slices(&mut rest, written),
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// A writer that takes at most a few bytes per call, as a pipe may.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let taken = bytes.len().min(3);
            self.0.extend_from_slice(&bytes[..taken]);
            Ok(taken)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_piece_is_written_in_order_however_little_each_call_takes() {
        let pieces: Vec<String> = (0..3000).map(|n| format!("{n}-")).chain([String::new()]).collect();
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let mut out = Trickle(Vec::new());
        super::write_all_vectored(&mut out, &pieces).unwrap();
        assert_eq!(String::from_utf8(out.0).unwrap(), pieces.concat());
        let mut all = Vec::new();
        super::write_all_vectored(&mut all, &pieces).unwrap();
        assert_eq!(String::from_utf8(all).unwrap(), pieces.concat());
    }

    #[test]
    fn empty_pieces_are_nothing_to_write_not_an_error() {
        let mut out = Trickle(Vec::new());
        super::write_all_vectored(&mut out, &[""]).unwrap();
        super::write_all_vectored(&mut out, &vec![""; 2048]).unwrap();
        super::write_all_vectored(&mut out, &["", "a", "", "bc", ""]).unwrap();
        assert_eq!(out.0, b"abc");
    }
}
