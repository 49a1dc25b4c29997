//! Telling the loop when a document's file changes on disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant, SystemTime};

use super::wake::Wake;
use crate::app::action::Action;
use crate::app::document::DocId;

/// Watches the file's folder rather than the file, so that every way of
/// saving is seen: writing in place, writing a temporary file and renaming it
/// over (most editors and `mv`), deleting and creating anew (vim without
/// `backupcopy`), and deleting (reported) then recreating (reloaded). When the
/// path is a symbolic link, the target's folder is watched too.
pub fn spawn(
    doc: DocId,
    path: &Path,
    tx: Sender<Wake>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let file = path.to_path_buf();
    let absolute = std::path::absolute(path)?;
    let mut targets = vec![split_dir_name(&absolute)?];
    if let Ok(canonical) = std::fs::canonicalize(path)
        && let Ok(target) = split_dir_name(&canonical)
        && !targets.contains(&target)
    {
        targets.push(target);
    }
    let wanted = targets.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if is_content_change(&event.kind)
            && event.paths.iter().any(|p| {
                wanted
                    .iter()
                    .any(|(dir, name)| p.parent() == Some(dir) && p.file_name() == Some(name))
            })
        {
            let at = Instant::now();
            let file = file.clone();
            let _ = tx.send(Wake::Action(Action::FileChanged { doc, file, at }));
        }
    })?;
    let mut dirs: Vec<&PathBuf> = targets.iter().map(|(dir, _)| dir).collect();
    dirs.dedup();
    for dir in dirs {
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
    let target = std::fs::canonicalize(path).ok();
    let identity = std::fs::metadata(path).ok().map(|m| {
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        (dev, ino, m.len(), m.modified().ok())
    });
    Seen { target, identity }
}

/// A slow look at the file beside the watcher, for what the watcher cannot
/// see: its folder deleted and made anew (the watch died with it), or a
/// symbolic link pointed elsewhere (the new target's folder is not watched).
/// A change in where the path leads, or in the file there, is reported.
pub fn spawn_poll(doc: DocId, path: &Path, tx: Sender<Wake>) {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut last = look(&path);
        loop {
            std::thread::sleep(POLL);
            let now = look(&path);
            if now != last {
                last = now;
                let change = Action::FileChanged {
                    doc,
                    file: path.clone(),
                    at: Instant::now(),
                };
                if tx.send(Wake::Action(change)).is_err() {
                    break;
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
