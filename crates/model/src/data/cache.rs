//! A set's files kept between loads, so that a reload reads and checks
//! again only the files that changed: a save in one file of a hundred
//! costs that file's check and the merge, not the whole set's.
//!
//! A file is read again when the watcher named it, or when its length,
//! modification time or identity (device and inode) differ from when it
//! was last read; otherwise its last result is used as it was. Each file's
//! last good version is kept too, so a bad save in one file shows the set
//! with that file as it last loaded (stale), the others as they are now.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::error::LoadError;
use super::model::Dataset;
use super::set::{SetFile, Warning, expand_noting, merge_shared};

/// What a file looked like on disk when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Device and inode: a file renamed over the old one is another file,
    /// whatever its length and time.
    identity: (u64, u64),
}

impl Stamp {
    /// `None` when the file cannot be looked at: it is then always read.
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let identity = (0, 0);
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity,
        })
    }
}

/// A set's files as last read, and as the set last loaded with them.
#[derive(Debug, Default)]
pub struct SetCache {
    /// Each file's last read, with its stamp from just before the read.
    current: HashMap<PathBuf, (Stamp, Arc<SetFile>)>,
    /// Each file's version the set last loaded with.
    good: HashMap<PathBuf, Arc<SetFile>>,
    /// The `*.toml` entries of the set's folders the last load could not
    /// read (a folder, a link to nothing), to be said, not dropped silently.
    skipped: Vec<Warning>,
}

/// What a (re)load of a set gave.
#[derive(Debug)]
pub enum SetReload {
    /// Every file loaded: the merged set.
    Loaded(Dataset),
    /// Some files have problems; they are in the set at their last good
    /// versions, and `error` says what is wrong with them now.
    Stale { dataset: Dataset, error: LoadError },
    /// The set cannot be shown: a file with problems has no good version.
    Failed(LoadError),
}

impl SetCache {
    /// What the last load skipped in the set's folders.
    pub fn skipped(&self) -> &[Warning] {
        &self.skipped
    }

    /// Loads the set `paths` names (files and folders): each file in
    /// `changed`, or changed on disk since it was read, afresh; the others
    /// as they were. A folder is listed anew each time, so files added to
    /// it are read and files gone from it are dropped.
    pub fn load(&mut self, paths: &[PathBuf], changed: &[PathBuf]) -> SetReload {
        let files = match expand_noting(paths) {
            Ok((files, skipped)) => {
                self.skipped = skipped;
                files
            }
            Err(e) => return SetReload::Failed(e),
        };
        let mut current = HashMap::with_capacity(files.len());
        let mut set: Vec<Arc<SetFile>> = Vec::with_capacity(files.len());
        for path in &files {
            // Looked at before the read: a write during the read leaves the
            // file newer than its stamp, so the next load reads it again.
            let stamp = Stamp::of(path);
            let cached = self
                .current
                .remove(path)
                .filter(|(was, _)| Some(*was) == stamp && !changed.contains(path));
            let file = match cached {
                Some((_, file)) => file,
                None => Arc::new(SetFile::read(path, true)),
            };
            if let Some(stamp) = stamp {
                current.insert(path.clone(), (stamp, Arc::clone(&file)));
            }
            set.push(file);
        }
        self.current = current;
        // The files stay here for the next load: the set gets copies.
        let shared: Vec<&SetFile> = set.iter().map(|f| &**f).collect();
        let outcome = merge_shared(&shared);
        if let Some(dataset) = outcome.dataset {
            self.good = files.into_iter().zip(set).collect();
            return SetReload::Loaded(dataset);
        }
        let broken: Vec<bool> = outcome.files.iter().map(|f| f.result.is_err()).collect();
        let error = match outcome.into_result() {
            Err(e) => e,
            Ok(_) => LoadError::Set { errors: Vec::new() },
        };
        // Each broken file at its last good version, if it has one.
        let mut fallback: Vec<&SetFile> = Vec::with_capacity(set.len());
        for ((path, file), broken) in files.iter().zip(&set).zip(broken) {
            match (broken, self.good.get(path)) {
                (false, _) => fallback.push(file),
                (true, Some(good)) => fallback.push(good),
                (true, None) => return SetReload::Failed(error),
            }
        }
        match merge_shared(&fallback).dataset {
            Some(dataset) => SetReload::Stale { dataset, error },
            None => SetReload::Failed(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid format 1 file whose one deal, `deal-{n}`, is worth `value`.
    fn file(n: usize, value: &str) -> String {
        format!(
            "format = 1\n\n[dataset]\ntitle = \"File {n}\"\nsubject = \"Buyer\"\n\
             as_of = 2025-11-03\n\n[[sources]]\nid = \"s-{n}\"\ntitle = \"Report\"\n\n\
             [[providers]]\nid = \"p-{n}\"\nname = \"Cloud {n}\"\nkind = \"cloud\"\n\n\
             [[commitments]]\nid = \"deal-{n}\"\nprovider = \"p-{n}\"\nvalue = \"{value}\"\n\
             status = \"signed\"\n"
        )
    }

    fn values(reload: SetReload) -> Vec<String> {
        match reload {
            SetReload::Loaded(d) => d
                .commitments
                .iter()
                .map(|c| {
                    c.value
                        .as_ref()
                        .map(|v| v.text.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            other => panic!("the set loads: {other:?}"),
        }
    }

    #[test]
    fn a_reload_reads_again_only_the_files_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, file(1, "$1bn")).unwrap();
        std::fs::write(&b, file(2, "$2bn")).unwrap();
        let paths = vec![dir.path().to_path_buf()];
        let mut cache = SetCache::default();
        assert_eq!(values(cache.load(&paths, &[])), ["$1bn", "$2bn"]);

        // Rewritten in place with its length and time unchanged, and not
        // named: the file read before stands, so it was not read again.
        let modified = std::fs::metadata(&a).unwrap().modified().unwrap();
        std::fs::write(&a, file(1, "$3bn")).unwrap();
        let handle = std::fs::File::options().write(true).open(&a).unwrap();
        handle.set_modified(modified).unwrap();
        drop(handle);
        assert_eq!(values(cache.load(&paths, &[])), ["$1bn", "$2bn"]);
        // Named by the watcher: read again.
        assert_eq!(
            values(cache.load(&paths, std::slice::from_ref(&a))),
            ["$3bn", "$2bn"]
        );

        // Changed on disk (another length) without a word: read again.
        std::fs::write(&b, file(2, "$22bn")).unwrap();
        assert_eq!(values(cache.load(&paths, &[])), ["$3bn", "$22bn"]);

        // A bad save: the set shows b as it last loaded, and says why.
        std::fs::write(&b, file(2, "22 GW")).unwrap();
        match cache.load(&paths, std::slice::from_ref(&b)) {
            SetReload::Stale { dataset, error } => {
                let deal = &dataset.commitments[1];
                assert_eq!(deal.value.as_ref().map(|v| v.text.as_str()), Some("$22bn"));
                assert!(error.to_string().contains("b.toml"), "{error}");
            }
            other => panic!("stale: {other:?}"),
        }

        // A file gone from the folder is gone from the set.
        std::fs::remove_file(&b).unwrap();
        assert_eq!(values(cache.load(&paths, &[b])), ["$3bn"]);
    }

    #[test]
    fn a_broken_file_with_no_good_version_fails_the_set() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), file(1, "$1bn")).unwrap();
        std::fs::write(dir.path().join("b.toml"), file(2, "2 GW")).unwrap();
        let mut cache = SetCache::default();
        match cache.load(&[dir.path().to_path_buf()], &[]) {
            SetReload::Failed(e) => assert!(e.to_string().contains("b.toml"), "{e}"),
            other => panic!("failed: {other:?}"),
        }
    }
}
