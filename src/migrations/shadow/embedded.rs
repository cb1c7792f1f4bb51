//! The embedded shadow: a throwaway cluster made with the machine's own
//! `initdb` and `postgres` in a private temporary directory, reachable only
//! over a unix socket there, run as an unprivileged user when schemadrift
//! runs as root.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::cleanup::{register, with_entry, Cleanup};
use super::{random_suffix, Shadow};
use crate::error::{Error, Result};
use crate::redact::Dsn;

/// A directory holding `initdb` and `postgres`, and their major version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBin {
    pub dir: PathBuf,
    pub major: u32,
    pub version: String,
}

/// Every usable PostgreSQL bin directory, in order of preference:
/// `SCHEMADRIFT_PG_BIN` (alone, when set), `pg_config --bindir`, `PATH`,
/// `/usr/lib/postgresql/*/bin` (newest first).
pub fn find_binaries() -> Result<Vec<PgBin>> {
    if let Some(dir) = std::env::var_os("SCHEMADRIFT_PG_BIN").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return match probe(&dir) {
            Some(b) => Ok(vec![b]),
            None => Err(Error::Shadow(format!(
                "SCHEMADRIFT_PG_BIN={} does not hold PostgreSQL's initdb and postgres programs",
                dir.display()
            ))),
        };
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Ok(out) = std::process::Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        if out.status.success() {
            dirs.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            let initdb = d.join("initdb");
            if initdb.is_file() {
                // Follow a symlink (/usr/local/bin/initdb -> .../15/bin/initdb)
                // to the directory that also holds the matching postgres.
                match std::fs::canonicalize(&initdb)
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                {
                    Some(real) => dirs.push(real),
                    None => dirs.push(d),
                }
            }
        }
    }
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    debian.sort_by(|a, b| {
        crate::migrations::discover::natural_cmp(&b.to_string_lossy(), &a.to_string_lossy())
    });
    dirs.extend(debian);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for d in dirs {
        let canon = std::fs::canonicalize(&d).unwrap_or(d.clone());
        if seen.contains(&canon) {
            continue;
        }
        seen.push(canon.clone());
        if let Some(b) = probe(&canon) {
            out.push(b);
        }
    }
    if out.is_empty() {
        return Err(Error::Shadow(
            "no PostgreSQL server programs (initdb, postgres) found for the embedded shadow database: install PostgreSQL (Debian: apt-get install postgresql), set SCHEMADRIFT_PG_BIN to its bin directory, or use --shadow URL".into(),
        ));
    }
    Ok(out)
}

fn probe(dir: &Path) -> Option<PgBin> {
    if !dir.join("initdb").is_file() || !dir.join("postgres").is_file() {
        return None;
    }
    let out = std::process::Command::new(dir.join("postgres"))
        .arg("--version")
        .output()
        .ok()?;
    // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let version = text.split(") ").nth(1).unwrap_or(&text).to_string();
    Some(PgBin {
        dir: dir.to_path_buf(),
        major: parse_major(&version)?,
        version,
    })
}

/// The major version in `15.18 (Debian ...)`, `PostgreSQL 17.2` or `9.6.1` (-> 9).
pub fn parse_major(v: &str) -> Option<u32> {
    let start = v.find(|c: char| c.is_ascii_digit())?;
    let digits: String = v[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Choose binaries: those of `major` if installed, else the first found
/// (with a warning on stderr when a major was wanted).
pub fn choose(bins: &[PgBin], major: Option<u32>) -> PgBin {
    if let Some(m) = major {
        if let Some(b) = bins.iter().find(|b| b.major == m) {
            return b.clone();
        }
        let b = &bins[0];
        eprintln!(
            "schemadrift: warning: the target runs PostgreSQL {m} but no PostgreSQL {m} server programs were found; the expected schema is built with PostgreSQL {} from {} (set SCHEMADRIFT_PG_BIN to a PostgreSQL {m} bin directory, or use --shadow URL)",
            b.version,
            b.dir.display()
        );
        return b.clone();
    }
    bins[0].clone()
}

/// Unix domain socket paths are limited to about 107 bytes.
const MAX_SOCKET_PATH: usize = 100;

/// The unprivileged user to run the server as when we are root.
struct RunAs {
    uid: u32,
    gid: u32,
    name: String,
}

fn run_as() -> Option<RunAs> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let find = |name: &str| {
        passwd.lines().find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 3 && f[0] == name).then(|| RunAs {
                uid: f[2].parse().unwrap_or(65534),
                gid: f[3].parse().unwrap_or(65534),
                name: name.to_string(),
            })
        })
    };
    Some(
        find("postgres")
            .or_else(|| find("nobody"))
            .unwrap_or(RunAs {
                uid: 65534,
                gid: 65534,
                name: "nobody".into(),
            }),
    )
}

fn pg_command(bin: &Path, user: &Option<RunAs>, cwd: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(bin);
    c.current_dir(cwd)
        .env_remove("PGDATA")
        .env_remove("PGHOST")
        .env_remove("PGPORT")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    if let Some(u) = user {
        // std drops supplementary groups when changing uid as root.
        c.uid(u.uid)
            .gid(u.gid)
            .env("HOME", cwd)
            .env("USER", &u.name);
    }
    c
}

pub(super) async fn start_embedded(major: Option<u32>) -> Result<Shadow> {
    let bins = find_binaries()?;
    let bin = choose(&bins, major);
    let user = run_as();

    let base = std::env::temp_dir();
    // SAFETY: geteuid has no preconditions.
    let mut owners = vec![unsafe { libc::geteuid() }];
    owners.extend(user.as_ref().map(|u| u.uid));
    crate::migrations::leftovers::sweep(&base, &owners);
    let dir = base.join(format!(
        "{}{}-{}",
        crate::migrations::leftovers::PREFIX,
        std::process::id(),
        random_suffix()
    ));
    let sock_file = dir.join(".s.PGSQL.5432");
    if sock_file.as_os_str().len() > MAX_SOCKET_PATH {
        return Err(Error::Shadow(format!(
            "the temporary directory {} is too deep for a unix socket path; set TMPDIR to a shorter directory such as /tmp",
            base.display()
        )));
    }
    std::fs::create_dir(&dir)
        .map_err(|e| Error::Shadow(format!("cannot create {}: {e}", dir.display())))?;
    if let Err(e) = crate::migrations::leftovers::claim(&dir) {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(Error::Shadow(format!("cannot lock {}: {e}", dir.display())));
    }
    let id = register(Cleanup::Embedded {
        dir: dir.clone(),
        server: None,
        helper: None,
    });
    let label = format!(
        "the embedded PostgreSQL {} shadow ({})",
        bin.version,
        bin.dir.display()
    );
    let url = socket_url(&dir);
    // Our own private server: no PG* variable or password file applies.
    crate::postgres::connect::register_private(&url);
    let shadow = Shadow {
        url: Dsn::new(url),
        label: label.clone(),
        major: Some(bin.major),
        id,
    };
    let shadow_err = |what: String| Error::Shadow(format!("{label}: {what}"));

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| shadow_err(format!("cannot set permissions on {}: {e}", dir.display())))?;
    if let Some(u) = &user {
        std::os::unix::fs::chown(&dir, Some(u.uid), Some(u.gid)).map_err(|e| {
            shadow_err(format!(
                "cannot hand {} to the {} user: {e}",
                dir.display(),
                u.name
            ))
        })?;
        if let Some(blocked) = untraversable_ancestor(&dir, u) {
            return Err(shadow_err(format!(
                "PostgreSQL refuses to run as root, and the {} user it runs as cannot reach {} (set TMPDIR to a directory that user can traverse, such as /tmp)",
                u.name,
                blocked.display()
            )));
        }
    }

    // initdb: trust auth for local connections only, no fsync, C locale (the
    // same everywhere, and always available).
    let data = dir.join("data");
    let mut initdb = pg_command(&bin.dir.join("initdb"), &user, &dir);
    initdb.arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C",
    ]);
    let spawned = tokio::process::Command::from(initdb)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            shadow_err(format!(
                "cannot run {}: {e}",
                bin.dir.join("initdb").display()
            ))
        })?;
    with_entry(id, |c| {
        if let Cleanup::Embedded { helper, .. } = c {
            *helper = spawned.id();
        }
    });
    let out = spawned
        .wait_with_output()
        .await
        .map_err(|e| shadow_err(format!("initdb failed: {e}")))?;
    with_entry(id, |c| {
        if let Cleanup::Embedded { helper, .. } = c {
            *helper = None;
        }
    });
    if !out.status.success() {
        let mut msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if msg.is_empty() {
            msg = String::from_utf8_lossy(&out.stdout).trim().to_string();
        }
        let hint = match &user {
            Some(u) => format!(
                " (it runs as the {} user, which must be able to read {})",
                u.name,
                bin.dir.display()
            ),
            None => String::new(),
        };
        return Err(shadow_err(format!(
            "initdb failed{hint}: {}",
            last_lines(&msg, 5)
        )));
    }

    let log_path = dir.join("server.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| shadow_err(format!("cannot create {}: {e}", log_path.display())))?;
    if let Some(u) = &user {
        let _ = std::os::unix::fs::chown(&log_path, Some(u.uid), Some(u.gid));
    }
    let log2 = log.try_clone().map_err(|e| shadow_err(e.to_string()))?;
    let mut postgres = pg_command(&bin.dir.join("postgres"), &user, &dir);
    postgres
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(&dir)
        .args([
            "-p",
            "5432",
            "-c",
            "listen_addresses=",
            "-c",
            "fsync=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "unix_socket_permissions=0700",
            "-c",
            "max_connections=20",
            "-c",
            "autovacuum=off",
            "-c",
            "logging_collector=off",
        ])
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2));
    // If schemadrift itself is killed outright (SIGKILL, OOM), have the kernel
    // stop the server rather than leave it running.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe; nothing else runs in the child.
    unsafe {
        postgres.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT);
            Ok(())
        });
    }
    let child = postgres.spawn().map_err(|e| {
        shadow_err(format!(
            "cannot run {}: {e}",
            bin.dir.join("postgres").display()
        ))
    })?;
    with_entry(id, |c| {
        if let Cleanup::Embedded { server, .. } = c {
            *server = Some(child);
        }
    });

    // Wait until it accepts connections, or exits.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok((client, conn)) =
            tokio_postgres::connect(shadow.url.expose(), tokio_postgres::NoTls).await
        {
            drop(client);
            let _ = conn.await;
            break;
        }
        let exited = with_entry(id, |c| match c {
            Cleanup::Embedded {
                server: Some(ch), ..
            } => ch.try_wait().ok().flatten(),
            _ => None,
        })
        .flatten();
        if let Some(status) = exited {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(shadow_err(format!(
                "the server exited ({status}) while starting: {}",
                last_lines(&log, 5)
            )));
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(shadow_err(format!(
                "the server did not accept connections within 60 s: {}",
                last_lines(&log, 5)
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(shadow)
}

/// `postgres://postgres@%2Fpath%2Fto%2Fdir:5432/postgres`: libpq's and
/// tokio-postgres's URL form for a unix socket directory.
fn socket_url(dir: &Path) -> String {
    let enc: String = dir
        .to_string_lossy()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    // No TLS over a private unix socket.
    format!("postgres://postgres@{enc}:5432/postgres?sslmode=disable")
}

/// The first ancestor of `dir` that the user cannot traverse (a rough check
/// of the mode bits, for a clear message instead of initdb's).
fn untraversable_ancestor(dir: &Path, u: &RunAs) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    for a in dir.ancestors().skip(1) {
        let Ok(md) = std::fs::metadata(a) else {
            continue;
        };
        let mode = md.mode();
        let ok = if md.uid() == u.uid {
            mode & 0o100 != 0
        } else if md.gid() == u.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !ok {
            return Some(a.to_path_buf());
        }
    }
    None
}

fn last_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" / ")
}

/// Stop the server (immediate shutdown: nothing in it is worth keeping) and
/// remove the directory.
pub(super) fn stop_embedded(dir: &Path, server: Option<Child>, helper: Option<u32>) -> Result<()> {
    if let Some(pid) = helper {
        // SAFETY: kill with the pid of our own initdb child (not yet reaped:
        // its tokio handle is still waiting on it).
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGKILL);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if let Some(mut child) = server {
        if child.try_wait().ok().flatten().is_none() {
            let pid = child.id() as libc::pid_t;
            // SAFETY: kill with a pid we spawned and have not reaped.
            unsafe {
                libc::kill(pid, libc::SIGQUIT);
            }
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if Instant::now() > deadline => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        }
    }
    let removed = std::fs::remove_dir_all(dir);
    crate::migrations::leftovers::release(dir);
    match removed {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::Shadow(format!(
            "could not remove {}: {e}",
            dir.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors() {
        assert_eq!(parse_major("15.18 (Debian 15.18-0+deb12u1)"), Some(15));
        assert_eq!(parse_major("PostgreSQL 17.2"), Some(17));
        assert_eq!(parse_major("18beta1"), Some(18));
        assert_eq!(parse_major("unknown"), None);
    }

    #[test]
    fn choose_matching_major() {
        let b = |m| PgBin {
            dir: PathBuf::from(format!("/pg/{m}/bin")),
            major: m,
            version: format!("{m}.1"),
        };
        let bins = vec![b(16), b(15)];
        assert_eq!(choose(&bins, Some(15)).major, 15);
        assert_eq!(choose(&bins, None).major, 16);
        assert_eq!(choose(&bins, Some(12)).major, 16);
    }

    #[test]
    fn socket_url_parses_as_unix_host() {
        let u = socket_url(Path::new("/tmp/schemadrift-shadow-1-ab"));
        let cfg: tokio_postgres::Config = u.parse().unwrap();
        assert_eq!(
            cfg.get_hosts(),
            &[tokio_postgres::config::Host::Unix(PathBuf::from(
                "/tmp/schemadrift-shadow-1-ab"
            ))]
        );
        assert_eq!(cfg.get_dbname(), Some("postgres"));
    }
}
