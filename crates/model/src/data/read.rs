//! Data files on disk: only regular files, never more than the limit read,
//! and how far the read has got for whoever shows it.
//!
//! A file is looked at before it is opened: a device (`/dev/zero`), a FIFO
//! or a socket, or a link to one, is refused, since reading it may never end.
//! It is opened without blocking (a FIFO swapped in meanwhile cannot hang the
//! open) and looked at again once open. Reads stop one byte past
//! `MAX_FILE_BYTES`, whatever the file's size claimed to be.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;
use std::time::Duration;

use super::MAX_FILE_BYTES;
use super::epoch;
use super::error::LoadError;
use super::load::load_bytes;
use super::model::Dataset;
use super::sections::stream_sections;

/// How far a load has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes read so far.
    pub bytes: u64,
    /// The file's size when it was opened.
    pub total: u64,
    pub stage: Stage,
}

/// What a load is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading a table at a time, each checked as it arrives.
    ReadingAndChecking,
    /// Reading the whole file, which was not plainly valid.
    Reading,
    /// Parsing and checking the whole file; reported every `TICK`.
    ParsingAndChecking,
}

impl Stage {
    /// For a progress panel: "reading and checking", ...
    pub fn label(self) -> &'static str {
        match self {
            Stage::ReadingAndChecking => "reading and checking",
            Stage::Reading => "reading",
            Stage::ParsingAndChecking => "parsing and checking",
        }
    }
}

/// How often progress is reported while the whole file is parsed.
const TICK: Duration = Duration::from_millis(200);

/// Reads and validates a data file from disk.
///
/// A valid file is read and checked a chunk at a time, so the whole text is
/// never in memory with the dataset (at 100k commitments the text is a third
/// of the peak). If that fails for any reason the file is read again whole,
/// and its problems reported as `load_bytes` reports them.
pub fn load_file(path: &Path) -> Result<Dataset, LoadError> {
    load(path, &mut |_| {}, false)
}

/// `load_file`, calling `progress` as it goes: after every read, then
/// every `TICK` while the whole file is parsed (parsing is one call, so it
/// runs on a helper thread meanwhile; `progress` is only called from this
/// one).
pub fn load_file_with_progress(
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Dataset, LoadError> {
    load(path, progress, true)
}

fn load(path: &Path, progress: &mut dyn FnMut(Progress), tick: bool) -> Result<Dataset, LoadError> {
    let name = path.display().to_string();
    let io = |source| LoadError::Io {
        file: name.clone(),
        source,
    };
    let (mut file, total) = open(path)?;
    // A table named `*.csv` is not tried as TOML; one named otherwise is
    // told by its header once read (below).
    if !epoch::is_table(&name, "") {
        let counted = Counted {
            inner: (&file).take(MAX_FILE_BYTES + 1),
            bytes: 0,
            total,
            stage: Stage::ReadingAndChecking,
            progress: &mut *progress,
        };
        if let Some(dataset) = stream_sections(counted) {
            return Ok(dataset.named(&name));
        }
        file.rewind().map_err(io)?;
    }
    let counted = Counted {
        inner: &file,
        bytes: 0,
        total,
        stage: Stage::Reading,
        progress: &mut *progress,
    };
    let bytes = read_capped(counted, &name, total)?;
    // Told by its first line, so that a TOML file is not decoded twice.
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let header = std::str::from_utf8(first_line).unwrap_or_default();
    let bytes = if epoch::is_table(&name, header) {
        match String::from_utf8(bytes) {
            Ok(text) => return epoch::load_alone(&text, &name),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    let len = bytes.len() as u64;
    let parsing = Progress {
        bytes: len,
        total,
        stage: Stage::ParsingAndChecking,
    };
    progress(parsing);
    if !tick {
        return load_bytes(&bytes, &name);
    }
    let (bytes, name) = (&bytes, &name);
    std::thread::scope(|scope| {
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let parser = scope.spawn(move || {
            let result = load_bytes(bytes, name);
            let _ = done_tx.send(());
            result
        });
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(TICK) {
            progress(parsing);
        }
        parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Reads a file's bytes, refusing it before reading if it is too large or
/// not a regular file.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let (file, total) = open(path)?;
    read_capped(file, &path.display().to_string(), total)
}

/// Opens a regular file (or a directory, whose read then fails with a clear
/// error) of at most `MAX_FILE_BYTES`, and says how large it is.
pub(super) fn open(path: &Path) -> Result<(File, u64), LoadError> {
    let name = || path.display().to_string();
    let io = |source| LoadError::Io {
        file: name(),
        source,
    };
    // Before opening: opening a device or a FIFO may itself block or act.
    let metadata = std::fs::metadata(path).map_err(io)?;
    refuse_special(&metadata, path)?;
    let file = open_nonblocking(path).map_err(io)?;
    // Again, on what was opened: the path may have changed meanwhile.
    let metadata = file.metadata().map_err(io)?;
    refuse_special(&metadata, path)?;
    let size = metadata.len();
    if metadata.is_file() && size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: name(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok((file, size))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Reads of a regular file ignore O_NONBLOCK; only the open of a FIFO
    // with no writer is spared the wait.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

fn refuse_special(metadata: &std::fs::Metadata, path: &Path) -> Result<(), LoadError> {
    let kind = metadata.file_type();
    if kind.is_file() || kind.is_dir() {
        return Ok(());
    }
    Err(LoadError::NotAFile {
        file: path.display().to_string(),
        kind: kind_name(kind),
    })
}

#[cfg(unix)]
fn kind_name(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind_name(_: std::fs::FileType) -> &'static str {
    "a special file"
}

/// All of `reader`, unless it holds more than `MAX_FILE_BYTES`: then no
/// more than one byte past the limit is read. `total` is the size the file
/// claimed, used only to size the buffer.
fn read_capped(reader: impl Read, file: &str, total: u64) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::with_capacity(total.min(MAX_FILE_BYTES) as usize);
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| LoadError::Io {
            file: file.to_string(),
            source,
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::GrewTooLarge {
            file: file.to_string(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// A reader that reports how far it got.
struct Counted<'p, R> {
    inner: R,
    bytes: u64,
    total: u64,
    stage: Stage,
    progress: &'p mut dyn FnMut(Progress),
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.bytes += n as u64;
        (self.progress)(Progress {
            bytes: self.bytes,
            total: self.total,
            stage: self.stage,
        });
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_more_than_one_byte_past_the_limit_is_read() {
        // An endless reader, as a device or a growing file would be.
        let mut read = 0u64;
        let mut progress = |p: Progress| read = p.bytes;
        let endless = Counted {
            inner: std::io::repeat(b'#'),
            bytes: 0,
            total: 0,
            stage: Stage::Reading,
            progress: &mut progress,
        };
        match read_capped(endless, "endless", 0) {
            Err(LoadError::GrewTooLarge { limit, .. }) => assert_eq!(limit, MAX_FILE_BYTES),
            other => panic!("expected GrewTooLarge, got {:?}", other.map(|b| b.len())),
        }
        assert_eq!(read, MAX_FILE_BYTES + 1);
    }
}
