//! Files in and out: output that readers never see half written and that
//! never replaces anything but a regular file, and large inputs mapped
//! rather than copied.
//!
//! `-o FILE` may name a regular file (replaced atomically: a temporary file
//! beside it, then a rename, so a reader sees the old content or the new),
//! a symlink (written through: its final target is replaced, the link
//! stays), or a device, FIFO or socket (written directly, as a shell's `>`
//! would: renaming over `/dev/null` would turn the device into a file).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Buffer size for writing reports and snapshots.
const BUFFER: usize = 1 << 16;

/// Write `text` to `path` (see the module documentation), or to standard
/// output when there is no path.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    write_output_with(path, |w| w.write_all(text.as_bytes()))
}

/// Stream output made by `write` to `path` or to standard output, through a
/// buffer: a large snapshot is never held as one string. A reader that went
/// away (`schemadrift diff a b | head`) is an [`Error::Write`] whose
/// [`Error::is_broken_pipe`] is true.
pub fn write_output_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        Some(p) => write_file_with(p, write),
        None => {
            let mut out = io::BufWriter::with_capacity(BUFFER, io::stdout().lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(|source| Error::Write {
                    path: "standard output".into(),
                    source,
                })
        }
    }
}

/// Write `bytes` to `path`: a regular file (or a new one) is replaced
/// atomically, anything else is written in place.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file_with(path, |w| w.write_all(bytes))
}

/// [`write_file`] with the content streamed by `write`.
pub fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let err = |source: io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    // Through any symlinks: the link stays, its final target is written.
    let target = final_target(path).map_err(err)?;
    match fs::metadata(&target) {
        Ok(m) if m.is_file() => replace(&target, Some(m.permissions()), write).map_err(err),
        Ok(m) if m.is_dir() => Err(err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory",
        ))),
        // A device, FIFO or socket: never replaced, written as `>` would.
        Ok(_) => write_in_place(&target, write).map_err(err),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&target, None, write).map_err(err),
        Err(e) => Err(err(e)),
    }
}

/// `path` with symlinks in its last component followed to the end of the
/// chain (which may not exist yet: a dangling link is written through, as
/// a shell's `>` does). Relative link targets are relative to the link.
fn final_target(path: &Path) -> io::Result<PathBuf> {
    /// Linux's own limit on links followed in one lookup.
    const MAX_LINKS: usize = 40;
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a chain"
    )))
}

/// Write into an existing file that is not a regular file (a device, a
/// FIFO): opened without creating or truncating it.
fn write_in_place(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let f = OpenOptions::new().write(true).open(path)?;
    let mut w = io::BufWriter::with_capacity(BUFFER, f);
    write(&mut w)?;
    w.flush()
}

/// Create or replace the regular file `target` atomically: a new temporary
/// file in the same directory (never an existing one: `create_new` does not
/// follow a link someone placed there), synced, given the permissions of
/// the file it replaces, then renamed over it.
fn replace(
    target: &Path,
    permissions: Option<fs::Permissions>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let (tmp, file) = temporary(&dir, &name)?;
    let written = (|| {
        let mut w = io::BufWriter::with_capacity(BUFFER, file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        if let Some(p) = permissions {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        // What is at the path must still be a regular file, or nothing.
        match fs::symlink_metadata(target) {
            Ok(m) if !m.is_file() => Err(io::Error::other(
                "it was replaced by something other than a regular file while being written",
            )),
            _ => fs::rename(&tmp, target),
        }
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// A new file `.NAME.PID.N.tmp` in `dir`, for the first free `N`.
fn temporary(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut n = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Give the UTF-8 text of the file at `path` to `parse`. A regular file is
/// mapped into memory rather than read: parsing a large snapshot from the
/// page cache's own pages spares copying it into fresh memory, a page fault
/// per 4 KiB (50 ms of a 49 MB file's 0.3 s).
pub fn read_text<T>(path: &Path, parse: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    let kind = special_kind(path);
    let read_error = |e: io::Error| Error::Read {
        path: path.to_path_buf(),
        reason: match kind {
            Some(what) => format!("it is {what} ({e})"),
            None => e.to_string(),
        },
    };
    let not_utf8 = || {
        read_error(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    };
    let file = File::open(path).map_err(read_error)?;
    if let Some(map) = MappedFile::new(&file) {
        let text = std::str::from_utf8(map.bytes()).map_err(|_| not_utf8())?;
        return parse(text);
    }
    let mut text = String::new();
    (&file).read_to_string(&mut text).map_err(read_error)?;
    parse(&text)
}

/// What a path that is not a regular file is, for messages (None for a
/// regular file, or when it cannot be looked at: opening it says why).
pub fn special_kind(path: &Path) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = std::fs::metadata(path).ok()?.file_type();
    Some(if t.is_dir() {
        "a directory"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_fifo() {
        "a pipe"
    } else {
        return None;
    })
}

/// A regular file mapped read-only into memory. The files schemadrift reads
/// this way are written whole, by rename, so the mapping does not change
/// under the parse (a file truncated in place meanwhile would end the
/// process with SIGBUS).
struct MappedFile {
    ptr: *mut libc::c_void,
    len: usize,
}

impl MappedFile {
    /// None for what cannot be mapped (an empty file, a pipe): read it instead.
    fn new(file: &File) -> Option<MappedFile> {
        use std::os::fd::AsRawFd;
        let meta = file.metadata().ok()?;
        let len = usize::try_from(meta.len()).ok()?;
        if !meta.is_file() || len == 0 {
            return None;
        }
        // SAFETY: a fresh private read-only mapping of an open file; it is
        // only read through `bytes` and unmapped once, on drop.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                file.as_raw_fd(),
                0,
            )
        };
        (ptr != libc::MAP_FAILED).then_some(MappedFile { ptr, len })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `new`, once.
        unsafe {
            libc::munmap(self.ptr, self.len);
        }
    }
}

/// Output to a reader that went away (`schemadrift diff a b | head`) is not
/// a failure: the run goes on quietly and ends with the exit code it earned.
pub fn unless_closed(written: Result<()>) -> Result<()> {
    match written {
        Err(e) if e.is_broken_pipe() => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    fn text(p: &Path) -> String {
        fs::read_to_string(p).unwrap()
    }

    /// No temporary file is left beside the output.
    fn only(dir: &Path, names: &[&str]) {
        let mut found: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        assert_eq!(found, names);
    }

    #[test]
    fn a_regular_file_is_replaced_with_its_permissions() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("out.json");
        write_file(&p, b"new").unwrap();
        assert_eq!(text(&p), "new");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_file(&p, b"newer").unwrap();
        assert_eq!(text(&p), "newer");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        only(d.path(), &["out.json"]);
    }

    #[test]
    fn a_symlink_is_written_through() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real.txt");
        fs::write(&real, "old").unwrap();
        let link = d.path().join("link.txt");
        std::os::unix::fs::symlink("real.txt", &link).unwrap();
        write_file(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(text(&real), "new");
        // A dangling link creates its target, as `>` does.
        let dangling = d.path().join("dangling");
        std::os::unix::fs::symlink("made.txt", &dangling).unwrap();
        write_file(&dangling, b"made").unwrap();
        assert_eq!(text(&d.path().join("made.txt")), "made");
        only(d.path(), &["dangling", "link.txt", "made.txt", "real.txt"]);
    }

    #[test]
    fn a_fifo_is_written_directly() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo on a path in our own temporary directory.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || text(&fifo))
        };
        write_file(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        only(d.path(), &["fifo"]);
    }

    #[test]
    fn a_directory_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = write_file(d.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("it is a directory"), "{e}");
    }

    #[test]
    fn text_is_read_mapped_or_not() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.json");
        fs::write(&p, "{}").unwrap();
        assert_eq!(read_text(&p, |t| Ok(t.to_string())).unwrap(), "{}");
        let empty = d.path().join("empty");
        fs::write(&empty, "").unwrap();
        assert_eq!(read_text(&empty, |t| Ok(t.len())).unwrap(), 0);
        fs::write(&p, [0xff, 0xfe]).unwrap();
        let e = read_text(&p, |_| Ok(())).unwrap_err().to_string();
        assert!(e.contains("valid UTF-8"), "{e}");
    }
}
