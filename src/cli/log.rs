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
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", crate::cli::shown(dir)))?;
    }
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("cannot open the log file {}: {e}", crate::cli::shown(&path)))?;
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(log))
        .with_max_level(filter)
        .with_target(false)
        .try_init()
        .map_err(|e| format!("cannot start the log: {e}"))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "gigawatt started");
    Ok(Some(path))
}
