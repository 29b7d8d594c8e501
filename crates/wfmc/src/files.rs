//! Writing to the user's disk without destroying what wfmc did not write.
//!
//! Every folder and file wfmc writes goes through this module:
//!
//! - **Ownership.** A folder wfmc writes must be new, empty, or a results folder wfmc
//!   wrote itself: one holding the marker [`MARKER`] and no file that the marker does
//!   not list. Anything else is refused before any work, naming what is in it.
//! - **Protected places.** The target is never the current folder or one of its
//!   parents, and it is not, does not contain and does not lie inside an input of the
//!   command (a merge's partials).
//! - **One writer at a time.** A lock file beside the target ([`LOCK_PREFIX`]) is held
//!   from before the work until the results are in place; a second writer fails at
//!   once, naming the process that holds it.
//! - **All or nothing.** Files go into a temporary folder beside the target, which
//!   is swapped into place in one step (`renameat2(RENAME_EXCHANGE)` on Linux) when
//!   complete. Each temporary folder is locked by its process, so the next wfmc that
//!   writes beside it can tell a dead process's leftovers (removed) from a live run's.

use crate::error::Error;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The file that marks a results folder as wfmc's, listing the files wfmc wrote.
pub const MARKER: &str = ".wfmc-results.json";
/// Prefix of temporary folders and files beside a target.
pub const TMP_PREFIX: &str = ".wfmc-tmp-";
/// Prefix of the lock file beside a target.
pub const LOCK_PREFIX: &str = ".wfmc-lock-";
/// Prefix of a temporary entry in the instant before its process has locked it (it
/// is then renamed to [`TMP_PREFIX`]); never removed by another process.
pub const NEW_PREFIX: &str = ".wfmc-new-";
/// Prefix of an earlier folder moved aside where the atomic swap is unavailable.
pub const OLD_PREFIX: &str = ".wfmc-old-";
/// Free space a results folder needs (the CSVs come to about 3 MB; a shard's
/// partial result can be larger), checked before a run starts.
pub const NEEDED_BYTES: u64 = 16_000_000;

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A fresh name for a temporary entry: short, so a 255-byte target name still fits.
fn temp_name(prefix: &str) -> String {
    format!(
        "{prefix}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// `p` as an absolute path with symbolic links resolved as far as it exists, and
/// `.` and `..` resolved in the part that does not exist yet.
pub fn resolve(p: &Path) -> io::Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let mut cur = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => cur.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(name) => {
                cur.push(name);
                if fs::symlink_metadata(&cur).is_ok() {
                    cur = cur.canonicalize()?;
                }
            }
        }
    }
    Ok(cur)
}

/// Places a command reads from, which its output must keep clear of.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    paths: Vec<PathBuf>,
}

impl Inputs {
    /// No inputs on disk (besides the config, which is never written to a folder).
    pub fn none() -> Inputs {
        Inputs::default()
    }

    /// The given paths (files or folders).
    pub fn of(paths: &[PathBuf]) -> Inputs {
        Inputs {
            paths: paths.iter().filter_map(|p| resolve(p).ok()).collect(),
        }
    }
}

/// Refuses a target that is the current folder or a parent of it, or that is,
/// contains or lies inside one of `inputs`.
fn check_place(target: &Path, shown: &Path, inputs: &Inputs) -> Result<(), Error> {
    if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize())
        && cwd.starts_with(target)
    {
        return Err(Error::Input(format!(
            "{}: is the current folder or one of its parents; wfmc writes results into a folder of their own, e.g. results/my-run",
            shown.display()
        )));
    }
    for p in &inputs.paths {
        let why = if p == target {
            "is"
        } else if p.starts_with(target) {
            "contains"
        } else if target.starts_with(p) {
            "lies inside"
        } else {
            continue;
        };
        return Err(Error::Input(format!(
            "{}: {why} an input of this command ({}); write the results somewhere else",
            shown.display(),
            p.display()
        )));
    }
    Ok(())
}

/// What a folder on disk is, as far as replacing it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing there.
    Missing,
    /// An empty folder.
    Empty,
    /// A results folder wfmc wrote; the files its marker lists.
    Ours(Vec<String>),
    /// Anything else, with (some of) what it holds.
    Foreign(Vec<String>),
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Marker {
    written_by: String,
    note: String,
    files: Vec<String>,
}

/// Every entry under `dir` as relative paths (folders end in `/`), sorted; symbolic
/// links are listed, not followed.
fn walk(dir: &Path) -> io::Result<Vec<String>> {
    fn go(root: &Path, rel: &str, out: &mut Vec<String>) -> io::Result<()> {
        for e in fs::read_dir(root.join(rel))? {
            let e = e?;
            let name = e.file_name().to_string_lossy().to_string();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type()?.is_dir() {
                out.push(format!("{path}/"));
                go(root, &path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = vec![];
    go(dir, "", &mut out)?;
    out.sort();
    Ok(out)
}

/// Looks at `dir`: missing, empty, a results folder of wfmc's, or something else.
pub fn inspect(dir: &Path) -> Result<Found, Error> {
    let meta = match fs::symlink_metadata(dir) {
        // Under a file: missing, and creating its parent will say why it cannot be.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Found::Missing);
        }
        Err(e) => return Err(Error::io(dir.display(), e)),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        let what = if meta.file_type().is_symlink() {
            "a symbolic link"
        } else {
            "a file"
        };
        return Ok(Found::Foreign(vec![format!("(it is {what})")]));
    }
    // Only the top level first: a big foreign tree (a home folder) is not walked.
    let mut top: Vec<String> = fs::read_dir(dir)
        .and_then(|rd| {
            rd.map(|e| {
                let e = e?;
                let name = e.file_name().to_string_lossy().to_string();
                Ok(if e.file_type()?.is_dir() {
                    format!("{name}/")
                } else {
                    name
                })
            })
            .collect()
        })
        .map_err(|e: io::Error| Error::io(dir.display(), e))?;
    if top.is_empty() {
        return Ok(Found::Empty);
    }
    top.sort();
    let marker = fs::read(dir.join(MARKER))
        .ok()
        .and_then(|b| serde_json::from_slice::<Marker>(&b).ok());
    let Some(marker) = marker else {
        return Ok(Found::Foreign(top));
    };
    let entries = walk(dir).map_err(|e| Error::io(dir.display(), e))?;
    let listed = |e: &String| {
        e == MARKER
            || marker.files.contains(e)
            || (e.ends_with('/') && marker.files.iter().any(|f| f.starts_with(e.as_str())))
    };
    let foreign: Vec<String> = entries.into_iter().filter(|e| !listed(e)).collect();
    if foreign.is_empty() {
        Ok(Found::Ours(marker.files))
    } else {
        Ok(Found::Foreign(foreign))
    }
}

fn list_some(entries: &[String]) -> String {
    let n = entries.len();
    let mut s = entries
        .iter()
        .take(6)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if n > 6 {
        s.push_str(&format!(" and {} more", n - 6));
    }
    s
}

fn refuse_foreign(shown: &Path, entries: &[String]) -> Error {
    let legacy = if entries.iter().any(|e| e == "manifest.json") && !shown.join(MARKER).exists() {
        " (If it holds results of a wfmc older than 0.2, which did not mark its folders, remove it yourself once you no longer need it.)"
    } else {
        ""
    };
    Error::Input(format!(
        "{}: not a results folder wfmc wrote (it holds {}); wfmc writes only into a new or empty folder or one it wrote itself (marked by {MARKER}), and never deletes what it did not write. Choose another folder.{legacy}",
        shown.display(),
        list_some(entries)
    ))
}

/// The lock that makes one process at a time write a target.
#[derive(Debug)]
struct TargetLock {
    path: PathBuf,
    file: File,
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

/// True when `file` is still the file at `path` (a holder that finished may have
/// removed the lock file after we opened it).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

impl TargetLock {
    /// Locks `parent/name` for writing, failing at once if another process holds it.
    fn acquire(parent: &Path, name: &str, shown: &Path) -> Result<TargetLock, Error> {
        let path = parent.join(format!("{LOCK_PREFIX}{:016x}", fnv(name.as_bytes())));
        let busy_since = std::time::Instant::now();
        // A place where the lock cannot be written cannot take the results either.
        let io = |e: io::Error| {
            Error::Input(format!(
                "{}: cannot write in {}: {e}",
                shown.display(),
                parent.display()
            ))
        };
        loop {
            let mut file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                // Another wfmc cleaning up beside it holds a lock file for an
                // instant; a writer holds it for its whole run.
                Err(fs::TryLockError::WouldBlock) if busy_since.elapsed().as_millis() < 1000 => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    continue;
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let who = fs::read_to_string(&path).unwrap_or_default();
                    let who = who.trim();
                    return Err(Error::Runtime(format!(
                        "{}: another wfmc{} is writing it; wait until it has finished, then try again",
                        shown.display(),
                        if who.is_empty() {
                            String::new()
                        } else {
                            format!(" ({who})")
                        }
                    )));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            if same_file(&file, &path) {
                file.set_len(0).map_err(io)?;
                let _ = write!(file, "process {}", std::process::id());
                return Ok(TargetLock { path, file });
            }
        }
    }
}

impl Drop for TargetLock {
    fn drop(&mut self) {
        // Removed while still held, so a waiter never locks a file nobody can see.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Removes temporary entries beside `parent`'s targets whose process has gone (their
/// lock can be taken); returns the folders it found but could not judge.
fn clean_stale(parent: &Path) -> Vec<String> {
    let mut notes = vec![];
    let Ok(entries) = fs::read_dir(parent) else {
        return notes;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let path = e.path();
        if name.starts_with(OLD_PREFIX) {
            notes.push(format!(
                "{} is an earlier results folder that a stopped wfmc was replacing; restore or remove it",
                path.display()
            ));
            continue;
        }
        let is_lock = name.starts_with(LOCK_PREFIX);
        if !name.starts_with(TMP_PREFIX) && !is_lock {
            continue;
        }
        let Ok(f) = File::open(&path) else {
            notes.push(format!(
                "{} may be left over from a stopped wfmc; remove it if no wfmc is running",
                path.display()
            ));
            continue;
        };
        if f.try_lock().is_ok() {
            if is_lock {
                // Its holder is gone; removed while locked, as a holder would.
                let _ = fs::remove_file(&path);
                continue;
            }
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            let _ = if is_dir {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
    notes
}

/// The parent folder of `target` (created if missing) and its final name.
fn parent_and_name(target: &Path, shown: &Path) -> Result<(PathBuf, String), Error> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| Error::Input(format!("{}: not a usable path", shown.display())))?;
    let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    fs::create_dir_all(&parent).map_err(|e| {
        Error::Input(format!(
            "{}: cannot create {}: {e}",
            shown.display(),
            parent.display()
        ))
    })?;
    // A full disk is known before any work: refuse rather than fail at the end.
    if let Ok(free) = fs4::available_space(&parent)
        && free < NEEDED_BYTES
    {
        return Err(Error::Input(format!(
            "{}: only {:.1} MB free on that disk; results need about {} MB",
            shown.display(),
            free as f64 / 1e6,
            NEEDED_BYTES / 1_000_000
        )));
    }
    Ok((parent, name))
}

/// Locks `target` (absolute) against other writers and cleans up dead processes'
/// leftovers beside it: the parent folder, the lock, and what could not be judged.
fn lock_beside(target: &Path, shown: &Path) -> Result<(PathBuf, TargetLock, Vec<String>), Error> {
    let (parent, name) = parent_and_name(target, shown)?;
    let lock = TargetLock::acquire(&parent, &name, shown)?;
    let notes = clean_stale(&parent);
    Ok((parent, lock, notes))
}

/// A temporary folder or file beside a target, made by `make` under a name nobody
/// cleans up, locked, and only then given its `.wfmc-tmp-` name: another process
/// can never take it for a dead one's. Returns its path and the locked handle.
fn claim_temp(
    parent: &Path,
    shown: &Path,
    make: impl Fn(&Path) -> io::Result<File>,
) -> Result<(PathBuf, File), Error> {
    let refuse = |e: io::Error| {
        Error::Input(format!(
            "{}: cannot write in {}: {e}",
            shown.display(),
            parent.display()
        ))
    };
    let name = temp_name(TMP_PREFIX);
    let new = parent.join(name.replacen(TMP_PREFIX, NEW_PREFIX, 1));
    let tmp = parent.join(&name);
    let handle = make(&new).map_err(refuse)?;
    // A filesystem without locks still gets its results; only cleanup is then blind.
    let _ = handle.try_lock();
    fs::rename(&new, &tmp).map_err(|e| {
        let _ = fs::remove_dir(&new).or_else(|_| fs::remove_file(&new));
        refuse(e)
    })?;
    Ok((tmp, handle))
}

/// A results folder being written: a locked temporary folder until [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    shown: PathBuf,
    target: PathBuf,
    tmp: PathBuf,
    /// Held while the folder is being written: the mark of a live process.
    tmp_lock: Option<File>,
    lock: Option<TargetLock>,
    notes: Vec<String>,
    committed: bool,
}

impl Staging {
    /// Checks `target` (new, empty or wfmc's; clear of the current folder and of
    /// `inputs`), locks it and creates the temporary folder beside it: every refusal
    /// comes before any work.
    pub fn new(target: &Path, inputs: &Inputs) -> Result<Staging, Error> {
        let shown = target.to_path_buf();
        let abs = resolve(target).map_err(|e| Error::io(shown.display(), e))?;
        check_place(&abs, &shown, inputs)?;
        if fs::symlink_metadata(&abs).is_ok_and(|m| !m.is_dir()) {
            return Err(Error::Input(format!(
                "{}: exists and is not a folder; give a folder path (wfmc does not replace it)",
                shown.display()
            )));
        }
        if let Found::Foreign(entries) = inspect(&abs)? {
            return Err(refuse_foreign(&shown, &entries));
        }
        let (parent, lock, notes) = lock_beside(&abs, &shown)?;
        let (tmp, tmp_lock) = claim_temp(&parent, &shown, |p| {
            fs::create_dir(p)?;
            File::open(p)
        })?;
        Ok(Staging {
            shown,
            target: abs,
            tmp,
            tmp_lock: Some(tmp_lock),
            lock: Some(lock),
            notes,
            committed: false,
        })
    }

    /// Copies the files wfmc wrote in the existing target (if any) into the new
    /// folder, except those `drop` says to leave out: for commands that add to or
    /// rebuild part of a results folder.
    pub fn keep_existing(&self, drop: impl Fn(&str) -> bool) -> Result<(), Error> {
        let Found::Ours(files) = inspect(&self.target)? else {
            return Ok(());
        };
        // The marker is written afresh at commit.
        for f in files
            .iter()
            .filter(|f| !f.ends_with('/') && f.as_str() != MARKER && !drop(f))
        {
            let from = self.target.join(f);
            if !from.is_file() {
                continue;
            }
            let to = self.tmp.join(f);
            if let Some(d) = to.parent() {
                fs::create_dir_all(d).map_err(|e| Error::io(d.display(), e))?;
            }
            fs::copy(&from, &to)
                .map_err(|e| Error::io(format!("copying {}", from.display()), e))?;
        }
        Ok(())
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Path of a file inside the folder being written.
    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// Writes a file into the folder being written.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let p = self.file(name);
        fs::write(&p, bytes).map_err(|e| Error::io(format!("writing {}", p.display()), e))
    }

    /// Leftovers of stopped processes found beside the target that wfmc could not
    /// judge safe to remove (for the caller to mention).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Puts the finished folder in place of the target in one step, then removes the
    /// folder it replaced (which held only wfmc's files).
    pub fn commit(mut self) -> Result<PathBuf, Error> {
        let io = |what: String| move |e: io::Error| Error::io(what, e);
        let mut files: Vec<String> = walk(&self.tmp)
            .map_err(io(self.tmp.display().to_string()))?
            .into_iter()
            .filter(|f| !f.ends_with('/'))
            .collect();
        files.push(MARKER.to_string());
        files.sort();
        files.dedup();
        let marker = Marker {
            written_by: "wfmc".into(),
            note: "wfmc replaces this folder only while it holds nothing but these files".into(),
            files,
        };
        let mut text = serde_json::to_string_pretty(&marker).expect("marker serialises");
        text.push('\n');
        self.write(MARKER, text.as_bytes())?;
        // Someone may have put files in the target while we worked: look again.
        match inspect(&self.target)? {
            Found::Foreign(entries) => return Err(refuse_foreign(&self.shown, &entries)),
            Found::Missing => fs::rename(&self.tmp, &self.target)
                .map_err(io(format!("moving results into {}", self.shown.display())))?,
            Found::Empty | Found::Ours(_) => {
                swap(&self.tmp, &self.target)
                    .map_err(io(format!("moving results into {}", self.shown.display())))?;
                // `tmp` now holds the folder replaced: wfmc's files only, checked above.
                let _ = fs::remove_dir_all(&self.tmp);
            }
        }
        self.committed = true;
        Ok(self.shown.clone())
    }
}

/// Exchanges two folders in one step where the system can; elsewhere moves the old
/// one aside first (a stop in between leaves it under [`OLD_PREFIX`], and the next
/// wfmc names it).
fn swap(new: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let parent = target.parent().unwrap_or(Path::new("/"));
    let old = parent.join(temp_name(OLD_PREFIX));
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(new, target) {
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    // The caller removes `new`: put the old folder there.
    fs::rename(&old, new)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
        self.tmp_lock.take();
        self.lock.take();
    }
}

/// A single file being written (a sweep CSV): a locked temporary file beside the
/// target, renamed over it when complete.
#[derive(Debug)]
pub struct FileStaging {
    shown: PathBuf,
    target: PathBuf,
    tmp: PathBuf,
    file: Option<File>,
    lock: Option<TargetLock>,
    committed: bool,
}

impl FileStaging {
    /// Checks `target`: not a folder, and either new, a file `is_ours` recognises as
    /// wfmc's, or `replace_any`. Locks it and creates the temporary file.
    pub fn new(
        target: &Path,
        inputs: &Inputs,
        replace_any: bool,
        is_ours: impl Fn(&Path) -> bool,
        what: &str,
    ) -> Result<FileStaging, Error> {
        let shown = target.to_path_buf();
        let abs = resolve(target).map_err(|e| Error::io(shown.display(), e))?;
        check_place(&abs, &shown, inputs)?;
        match fs::symlink_metadata(&abs) {
            Ok(m) if m.is_dir() => {
                return Err(Error::Input(format!(
                    "{}: is a folder; give a file path such as sweep.csv",
                    shown.display()
                )));
            }
            Ok(_) if !replace_any && !is_ours(&abs) => {
                return Err(Error::setting_hint(
                    crate::wording::Setting::Out,
                    shown.display(),
                    format!("exists and is not {what} wfmc wrote"),
                    crate::wording::Hint::Overwrite,
                ));
            }
            _ => {}
        }
        let (parent, lock, _) = lock_beside(&abs, &shown)?;
        let (tmp, file) = claim_temp(&parent, &shown, |p| File::create_new(p))?;
        Ok(FileStaging {
            shown,
            target: abs,
            tmp,
            file: Some(file),
            lock: Some(lock),
            committed: false,
        })
    }

    /// The file to write into.
    pub fn writer(&self) -> Result<File, Error> {
        self.file
            .as_ref()
            .expect("open until commit")
            .try_clone()
            .map_err(|e| Error::io(self.tmp.display(), e))
    }

    /// Renames the finished file over the target.
    pub fn commit(
        mut self,
        replace_any: bool,
        is_ours: impl Fn(&Path) -> bool,
    ) -> Result<PathBuf, Error> {
        if !replace_any && self.target.exists() && !is_ours(&self.target) {
            return Err(Error::Input(format!(
                "{}: changed while wfmc was writing; not replaced",
                self.shown.display()
            )));
        }
        if let Some(f) = &self.file {
            f.sync_all().map_err(|e| Error::io(self.tmp.display(), e))?;
        }
        fs::rename(&self.tmp, &self.target).map_err(|e| Error::io(self.shown.display(), e))?;
        self.committed = true;
        Ok(self.shown.clone())
    }
}

impl Drop for FileStaging {
    fn drop(&mut self) {
        self.file.take();
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
        self.lock.take();
    }
}

/// Locks an existing results folder of wfmc's for reading and rebuilding: checks
/// it is one, for commands (`wfmc report`) that need one to be there.
pub fn require_ours(dir: &Path) -> Result<(), Error> {
    let abs = resolve(dir).map_err(|e| Error::io(dir.display(), e))?;
    match inspect(&abs)? {
        Found::Ours(_) => Ok(()),
        Found::Missing => Err(Error::Input(format!(
            "{}: no such folder; give a results folder wfmc wrote",
            dir.display()
        ))),
        Found::Empty => Err(Error::Input(format!(
            "{}: an empty folder; give a results folder wfmc wrote",
            dir.display()
        ))),
        Found::Foreign(entries) => Err(Error::Input(format!(
            "{}: not a results folder wfmc wrote (no {MARKER}, or it holds {} besides); give a folder a run or a merge wrote",
            dir.display(),
            list_some(&entries)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_handles_missing_parts_and_dots() {
        let d = tempfile::tempdir().unwrap();
        let base = d.path().canonicalize().unwrap();
        let p = resolve(&d.path().join("a/./b/../c")).unwrap();
        assert_eq!(p, base.join("a/c"));
    }

    #[test]
    fn inspect_tells_ours_from_foreign() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r");
        assert_eq!(inspect(&p).unwrap(), Found::Missing);
        fs::create_dir(&p).unwrap();
        assert_eq!(inspect(&p).unwrap(), Found::Empty);
        fs::write(p.join("notes.txt"), "mine").unwrap();
        assert_eq!(
            inspect(&p).unwrap(),
            Found::Foreign(vec!["notes.txt".into()])
        );
        fs::remove_file(p.join("notes.txt")).unwrap();
        let st = Staging::new(&p, &Inputs::none()).unwrap();
        st.write("a.csv", b"x").unwrap();
        fs::create_dir(st.file("plots")).unwrap();
        st.write("plots/b.svg", b"y").unwrap();
        st.commit().unwrap();
        assert_eq!(
            inspect(&p).unwrap(),
            Found::Ours(vec![MARKER.into(), "a.csv".into(), "plots/b.svg".into()])
        );
        fs::write(p.join("plots/mine.svg"), "mine").unwrap();
        assert_eq!(
            inspect(&p).unwrap(),
            Found::Foreign(vec!["plots/mine.svg".into()])
        );
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r");
        let first = Staging::new(&p, &Inputs::none()).unwrap();
        let e = Staging::new(&p, &Inputs::none()).unwrap_err().to_string();
        assert!(e.contains("another wfmc"), "{e}");
        drop(first);
        let again = Staging::new(&p, &Inputs::none()).unwrap();
        again.commit().unwrap();
        // Nothing but the results folder is left beside it.
        let names: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["r"]);
    }

    #[test]
    fn stale_temporary_folders_are_removed_live_ones_kept() {
        let d = tempfile::tempdir().unwrap();
        let dead = d.path().join(format!("{TMP_PREFIX}1-1"));
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join("bands.csv"), "x").unwrap();
        let live = Staging::new(&d.path().join("a"), &Inputs::none()).unwrap();
        assert!(!dead.exists(), "a dead process's folder is removed");
        let other = Staging::new(&d.path().join("b"), &Inputs::none()).unwrap();
        assert!(live.path().exists(), "a live process's folder is kept");
        drop(other);
        drop(live);
    }

    #[test]
    fn concurrent_writers_beside_each_other_never_take_one_another_for_dead() {
        // Shards of a cluster job write their folders into one parent at once; each
        // cleans up beside it as it starts.
        let d = tempfile::tempdir().unwrap();
        let parent = d.path().to_path_buf();
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let p = parent.join(i.to_string());
                std::thread::spawn(move || {
                    let f = p.with_extension("csv");
                    for _ in 0..20 {
                        let st = Staging::new(&p, &Inputs::none()).unwrap();
                        st.write("a.csv", b"x").unwrap();
                        st.commit().unwrap();
                        let fs = FileStaging::new(&f, &Inputs::none(), true, |_| true, "a file")
                            .unwrap();
                        fs.commit(true, |_| true).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let left: Vec<_> = fs::read_dir(&parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".wfmc-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn inputs_and_parents_are_protected() {
        let d = tempfile::tempdir().unwrap();
        let parts = d.path().join("parts");
        fs::create_dir_all(parts.join("1")).unwrap();
        let inputs = Inputs::of(&[parts.join("1")]);
        for t in [parts.clone(), parts.join("1"), parts.join("1/x")] {
            let e = Staging::new(&t, &inputs).unwrap_err().to_string();
            assert!(e.contains("an input of this command"), "{e}");
        }
        assert!(Staging::new(&parts.join("2"), &inputs).is_ok());
    }
}
