//! Telling the loop when a document's file changes on disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant, SystemTime};

use super::wake::Wake;
use crate::app::action::Action;
use crate::app::document::DocId;

/// Watches the files' folders rather than the files, one watcher for them
/// all (three hundred files of one folder are one watch), so that every
/// way of saving is seen: writing in place, writing a temporary file and
/// renaming it over (most editors and `mv`), deleting and creating anew
/// (vim without `backupcopy`), and deleting (reported) then recreating
/// (reloaded). When a path is a symbolic link, the target's folder is
/// watched too.
pub fn spawn(
    doc: DocId,
    files: &[PathBuf],
    tx: Sender<Wake>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    // Each (folder, name) the watcher may report, and the file as given.
    let mut wanted: Vec<((PathBuf, std::ffi::OsString), PathBuf)> = Vec::new();
    for file in files {
        let absolute = std::path::absolute(file)?;
        wanted.push((split_dir_name(&absolute)?, file.clone()));
        if let Ok(canonical) = std::fs::canonicalize(file)
            && let Ok(target) = split_dir_name(&canonical)
            && !wanted.iter().any(|(t, f)| *t == target && f == file)
        {
            wanted.push((target, file.clone()));
        }
    }
    let mut dirs: Vec<PathBuf> = wanted.iter().map(|((dir, _), _)| dir.clone()).collect();
    dirs.sort();
    dirs.dedup();
    let by_place: std::collections::HashMap<(PathBuf, std::ffi::OsString), Vec<PathBuf>> = wanted
        .into_iter()
        .fold(Default::default(), |mut map, (place, file)| {
            map.entry(place).or_insert_with(Vec::new).push(file);
            map
        });
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if !is_content_change(&event.kind) {
            return;
        }
        let mut changed: Vec<&PathBuf> = event
            .paths
            .iter()
            .filter_map(|p| Some((p.parent()?.to_path_buf(), p.file_name()?.to_os_string())))
            .filter_map(|place| by_place.get(&place))
            .flatten()
            .collect();
        changed.sort();
        changed.dedup();
        for file in changed {
            let change = Action::FileChanged {
                doc,
                file: file.clone(),
                at: Instant::now(),
            };
            let _ = tx.send(Wake::Action(change));
        }
    })?;
    for dir in &dirs {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

/// Watches a folder of a set for its `*.toml` and `*.csv` files changing, appearing
/// and going away; each change names the file as the set does (the folder
/// as given, joined with the file's name).
pub fn spawn_folder(
    doc: DocId,
    folder: &Path,
    tx: Sender<Wake>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let given = folder.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if !is_content_change(&event.kind) {
            return;
        }
        for path in &event.paths {
            if gigawatt_model::data::is_data_file(path)
                && let Some(name) = path.file_name()
            {
                let change = Action::FileChanged {
                    doc,
                    file: given.join(name),
                    at: Instant::now(),
                };
                let _ = tx.send(Wake::Action(change));
            }
        }
    })?;
    watcher.watch(folder, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

/// How often the file is looked at besides the watcher's events.
const POLL: Duration = Duration::from_millis(400);

/// What a look at the file sees: where the path leads and what is there.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    target: Option<PathBuf>,
    identity: Option<(u64, u64, u64, Option<SystemTime>)>,
}

fn look(path: &Path) -> Seen {
    Seen {
        target: std::fs::canonicalize(path).ok(),
        identity: identity(path),
    }
}

/// Which file is at `path` and how it stands: one `stat`.
fn identity(path: &Path) -> Option<(u64, u64, u64, Option<SystemTime>)> {
    std::fs::metadata(path).ok().map(|m| {
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        (dev, ino, m.len(), m.modified().ok())
    })
}

/// A slow look at the paths beside the watchers, on one thread for them
/// all, for what the watchers cannot see: a folder deleted and made anew
/// (its watch died with it, and the file in it is another file), or a
/// symbolic link pointed elsewhere (the new target's folder is not
/// watched). A link or a folder of the set is followed to where it leads
/// each time; a plain file is only stat-ed, one call a look, so that three
/// hundred files cost next to nothing while idle. A change in where a path
/// leads, or in what is there, is reported.
pub fn spawn_poll(doc: DocId, paths: &[PathBuf], tx: Sender<Wake>) {
    let targets: Vec<(PathBuf, bool)> = paths
        .iter()
        .map(|path| {
            let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            (path.clone(), is_link || path.is_dir())
        })
        .collect();
    let look_at = |path: &Path, follow: bool| {
        if follow {
            look(path)
        } else {
            Seen {
                target: None,
                identity: identity(path),
            }
        }
    };
    std::thread::spawn(move || {
        let mut last: Vec<Seen> = targets.iter().map(|(p, f)| look_at(p, *f)).collect();
        loop {
            std::thread::sleep(POLL);
            for ((path, follow), last) in targets.iter().zip(&mut last) {
                let now = look_at(path, *follow);
                if now == *last {
                    continue;
                }
                *last = now;
                let change = Action::FileChanged {
                    doc,
                    file: path.clone(),
                    at: Instant::now(),
                };
                if tx.send(Wake::Action(change)).is_err() {
                    return;
                }
            }
        }
    });
}

/// `/a/b/file` as (`/a/b`, `file`).
fn split_dir_name(path: &Path) -> notify::Result<(PathBuf, std::ffi::OsString)> {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => Ok((dir.to_path_buf(), name.to_os_string())),
        _ => Err(notify::Error::generic("not a file path").add_path(path.to_path_buf())),
    }
}

/// Whether a watcher event may have changed what the file holds. Opening and
/// reading are not changes, and must not count: gigawatt's own reload opens
/// the file, which would otherwise trigger the next reload, forever. Closing
/// after writing is a change (the writer's last word on it).
fn is_content_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_the_file_is_not_a_change() {
        use notify::EventKind;
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode,
        };
        // gigawatt's own reads would otherwise reload forever.
        assert!(!is_content_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_content_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        for kind in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Remove(RemoveKind::File),
        ] {
            assert!(is_content_change(&kind), "{kind:?}");
        }
    }
}
