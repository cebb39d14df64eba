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
    // A device or a pipe (`-o /dev/null`, a named pipe) is written to, never
    // replaced by a file; a symbolic link is followed, and the file it
    // names is replaced.
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
        && !m.is_dir()
    {
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io)?;
        return out.write_all(bytes).map_err(io);
    }
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = match std::fs::read_link(path) {
        // (A relative link is relative to the link's folder.)
        Ok(to) if linked => path.parent().unwrap_or(Path::new("")).join(to),
        _ => path.to_path_buf(),
    };
    let path = target.as_path();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// (Root may replace /dev/null itself: a pipe stands in for a device.)
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_to_and_a_link_followed_never_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = {
                let pipe = pipe.clone();
                std::thread::spawn(move || std::fs::read(pipe).unwrap())
            };
            write_atomic(&pipe, b"pages").unwrap();
            assert_eq!(reader.join().unwrap(), b"pages");
            let kind = std::fs::symlink_metadata(&pipe).unwrap().file_type();
            assert!(kind.is_fifo(), "the pipe is still a pipe");
        } else {
            eprintln!("skipped the pipe: mkfifo is missing");
        }
        let file = dir.path().join("real.pdf");
        std::fs::write(&file, b"old").unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
    }
}
