//! The log file, off by default: `--log FILE`, or `GIGAWATT_LOG=LEVEL`
//! (error, warn, info, debug, trace) for the default file in the state
//! folder. Events (loads, reloads, watcher changes, effects) go through
//! `tracing` to the file only: never to the terminal the explorer owns.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use tracing::level_filters::LevelFilter;

/// Where `GIGAWATT_LOG` alone writes: `$XDG_STATE_HOME/gigawatt/gigawatt.log`.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    let dir = base.state_dir().unwrap_or_else(|| base.cache_dir());
    Some(dir.join("gigawatt").join("gigawatt.log"))
}

/// Starts logging if asked to; returns the file written, if any. `level`
/// is `GIGAWATT_LOG`: with `--log` and no level, debug.
pub fn init(file: Option<&Path>, level: Option<&str>) -> Result<Option<PathBuf>, String> {
    let level = level.map(str::trim).filter(|l| !l.is_empty());
    let (path, level) = match (file, level) {
        (None, None) => return Ok(None),
        (Some(path), level) => (path.to_path_buf(), level.unwrap_or("debug")),
        (None, Some(level)) => (
            default_path().ok_or("GIGAWATT_LOG: no folder for the log file (no home folder)")?,
            level,
        ),
    };
    let filter = LevelFilter::from_str(level).map_err(|_| {
        format!("GIGAWATT_LOG={level}: expected off, error, warn, info, debug or trace")
    })?;
    let log = if file.is_some() {
        open_given(&path)?
    } else {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", crate::cli::shown(dir)))?;
        }
        open_append(&path)
            .map_err(|e| format!("cannot open the log file {}: {e}", crate::cli::shown(&path)))?
    };
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(Sink { file: Some(log) }))
        .with_max_level(filter)
        .with_target(false)
        // Its own errors would go to standard error, over the explorer's
        // screen; `Sink` keeps the first for the status line instead.
        .log_internal_errors(false)
        .try_init()
        .map_err(|e| format!("cannot start the log: {e}"))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "gigawatt started");
    Ok(Some(path))
}

/// The first write to the log that failed, not yet reported.
static FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Why the log stopped, once: the first call after a write failed says so,
/// later calls say nothing.
pub fn take_failure() -> Option<String> {
    FAILURE.lock().ok()?.take()
}

/// The log file until a write to it fails (a full disk, a file size
/// limit); then nothing, so that the log never retries or complains twice.
struct Sink {
    file: Option<std::fs::File>,
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let Some(file) = &mut self.file else {
            return Ok(buf.len());
        };
        if let Err(e) = file.write_all(buf) {
            self.file = None;
            if let Ok(mut failure) = FAILURE.lock() {
                *failure = Some(format!("the log file failed ({e}); logging is off"));
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The file `--log` names, refused unless it is, or will be, a regular
/// file of its own: not a link (which may point anywhere), not a FIFO
/// (whose open waits for a reader), not in a folder that does not exist.
fn open_given(path: &Path) -> Result<std::fs::File, String> {
    let shown = crate::cli::shown(path);
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "the log file {shown} is a symbolic link; give the real path"
            ));
        }
        Ok(m) if !m.is_file() => {
            return Err(format!("the log file {shown} is not a regular file"));
        }
        _ => {}
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!(
            "the log file's folder {} does not exist",
            crate::cli::shown(dir)
        ));
    }
    let file = open_append(path).map_err(|e| format!("cannot open the log file {shown}: {e}"))?;
    // Again, on what was opened: the path may have changed meanwhile.
    match file.metadata() {
        Ok(m) if m.is_file() => Ok(file),
        Ok(_) => Err(format!("the log file {shown} is not a regular file")),
        Err(e) => Err(format!("cannot open the log file {shown}: {e}")),
    }
}

#[cfg(unix)]
fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}
