//! Writing what was made: atomically to a file, or to standard output; and
//! why a statement or the book was not written.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::render::compile::Error;

/// A file that could not be written (`-`: standard output).
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: cannot write {}: {}\n  = hint: check that the folder can be written to and the disk is not full; earlier outputs are unchanged",
            shown(&self.path),
            self.error
        )
    }
}

/// Why a statement (or the book) was not written: it could not be made, or
/// not saved.
#[derive(Debug)]
pub enum Failure {
    Render(Error),
    Write(WriteError),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Render(e)
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        Failure::Write(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Render(e) => e.fmt(f),
            Failure::Write(e) => e.fmt(f),
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that a reader never sees half a file and a failure leaves
/// the previous file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |error: std::io::Error| WriteError {
        path: path.to_path_buf(),
        error,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pamphleteer-")
        .tempfile_in(&dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // A temporary file is private; the output gets the permissions of the
    // file it replaces, or the usual ones for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file().set_permissions(perms).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` atomically unless the file already holds
/// exactly them: an unchanged product keeps its time, and whatever watches
/// it sees no change. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    let same = std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes);
    if same {
        return Ok(false);
    }
    write_atomic(path, bytes)?;
    Ok(true)
}

/// Writes an output atomically, or to standard output for `-`.
pub fn emit(out: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(bytes)
            .and_then(|_| stdout.flush())
            .map_err(|error| WriteError {
                path: out.to_path_buf(),
                error,
            });
    }
    write_atomic(out, bytes)
}

/// An output's name in messages.
pub fn shown(out: &Path) -> String {
    if out == Path::new("-") {
        "standard output".into()
    } else {
        out.display().to_string()
    }
}
