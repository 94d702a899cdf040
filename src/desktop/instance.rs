//! One window per case. A window listens on a socket of its own in a
//! folder only its user can enter; a launch with files asks each running
//! window first. One that has the files open already is raised (no second
//! load of the same evidence); otherwise the most recent window takes them
//! and adds them to its case or opens a new window, as the user chooses.
//! Unix sockets (Linux, macOS); elsewhere every launch opens its own window.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How long a launch waits for a running window's answer, and a window
/// for a caller's question: a window that is stuck is treated as gone.
const TIMEOUT: Duration = Duration::from_secs(2);
/// A question is a line of JSON; longer is not one of ours.
const MAX_MESSAGE: u64 = 1 << 20;

/// What became of the files a launch was asked to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrival {
    /// A running window has them open: it was raised.
    AlreadyOpen,
    /// A running window took them.
    Handed,
    /// No window runs (or none answered): this launch opens them.
    NoneRunning,
}

/// What a running window is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// Come to the front: these files are open here already.
    Raise(Vec<PathBuf>),
    /// Open these files (add them, or a new window).
    Open(Vec<PathBuf>),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "kebab-case")]
enum Question {
    /// "Do you have these open?"
    Has { paths: Vec<PathBuf> },
    /// "Take these."
    Open { paths: Vec<PathBuf> },
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Answer {
    Same,
    Other,
    Taken,
}

/// What a window has open, for the question "do you have these open?":
/// the paths as opened, made absolute and resolved.
#[derive(Debug, Default, Clone)]
pub struct OpenPaths(Arc<Mutex<Vec<PathBuf>>>);

impl OpenPaths {
    pub fn set(&self, paths: &[PathBuf]) {
        let resolved = paths.iter().map(|p| resolve(p)).collect();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = resolved;
    }

    /// Whether every path asked for is open: one of the paths opened or
    /// inside a folder opened.
    fn covers(&self, asked: &[PathBuf]) -> bool {
        let open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        !asked.is_empty()
            && !open.is_empty()
            && asked
                .iter()
                .all(|a| open.iter().any(|o| a == o || a.starts_with(o)))
    }
}

/// A path as every process names it: absolute (from this process's
/// folder), with links resolved where it exists.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.canonicalize().unwrap_or(absolute)
}

/// The folder of the running windows' sockets.
#[derive(Debug, Clone)]
pub struct Instances {
    dir: PathBuf,
}

impl Instances {
    /// The user's folder: `$XDG_RUNTIME_DIR/auditview`, else one in the
    /// temporary folder named by the user id. None where there are no Unix
    /// sockets, or the folder is not the user's alone.
    pub fn for_user() -> Option<Instances> {
        #[cfg(unix)]
        {
            let uid = rustix::process::getuid().as_raw();
            let dir = std::env::var_os("XDG_RUNTIME_DIR")
                .map(PathBuf::from)
                .filter(|d| d.is_absolute() && d.is_dir())
                .map(|d| d.join("auditview"))
                .unwrap_or_else(|| std::env::temp_dir().join(format!("auditview-{uid}")));
            Instances::in_folder(dir).ok()
        }
        #[cfg(not(unix))]
        None
    }

    /// Sockets in `dir`, made with mode 0700 if missing; refused when it
    /// belongs to another user or others may enter it.
    pub fn in_folder(dir: PathBuf) -> std::io::Result<Instances> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            let meta = std::fs::symlink_metadata(&dir)?;
            let uid = rustix::process::getuid().as_raw();
            if !meta.is_dir() || meta.uid() != uid || meta.permissions().mode() & 0o077 != 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!("{} is not this user's alone", dir.display()),
                ));
            }
        }
        Ok(Instances { dir })
    }

    /// Asks the running windows to open `paths` (as this process names
    /// them). Any failure to talk to them means no window runs.
    pub fn hand_over(&self, paths: &[PathBuf]) -> Arrival {
        let paths: Vec<PathBuf> = paths.iter().map(|p| resolve(p)).collect();
        let windows = self.sockets();
        for socket in &windows {
            if ask(
                socket,
                &Question::Has {
                    paths: paths.clone(),
                },
            ) == Some(Answer::Same)
            {
                return Arrival::AlreadyOpen;
            }
        }
        // The newest window first (sockets() sorts by start, newest first).
        for socket in &windows {
            if ask(
                socket,
                &Question::Open {
                    paths: paths.clone(),
                },
            ) == Some(Answer::Taken)
            {
                return Arrival::Handed;
            }
        }
        Arrival::NoneRunning
    }

    /// Live windows' sockets, newest first; sockets left by windows that
    /// ended are removed.
    #[expect(
        clippy::disallowed_methods,
        reason = "removes only sockets of ended auditview windows, in its own folder"
    )]
    fn sockets(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sock"))
            .filter_map(|p| {
                let started = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
                Some((started, p))
            })
            .collect();
        found.sort_by_key(|(started, _)| std::cmp::Reverse(*started));
        found
            .into_iter()
            .map(|(_, p)| p)
            .filter(|p| {
                let alive = connect(p).is_some();
                if !alive {
                    let _ = std::fs::remove_file(p);
                }
                alive
            })
            .collect()
    }

    /// Starts answering launches: `open` is what this window has open;
    /// `deliver` gets each request (from the listening thread).
    pub fn listen(
        &self,
        open: OpenPaths,
        deliver: impl Fn(Incoming) + Send + Sync + 'static,
    ) -> std::io::Result<Listening> {
        listen(&self.dir, open, deliver)
    }
}

/// A window answering launches; the socket goes when it is dropped.
#[derive(Debug)]
pub struct Listening {
    socket: PathBuf,
}

impl Drop for Listening {
    #[expect(
        clippy::disallowed_methods,
        reason = "removes the socket this window made"
    )]
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.socket);
    }
}

#[cfg(unix)]
fn connect(socket: &Path) -> Option<std::os::unix::net::UnixStream> {
    let stream = std::os::unix::net::UnixStream::connect(socket).ok()?;
    stream.set_read_timeout(Some(TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(TIMEOUT)).ok()?;
    Some(stream)
}

#[cfg(not(unix))]
fn connect(_socket: &Path) -> Option<std::fs::File> {
    None
}

fn ask(socket: &Path, question: &Question) -> Option<Answer> {
    let mut stream = connect(socket)?;
    let mut line = serde_json::to_vec(question).ok()?;
    line.push(b'\n');
    stream.write_all(&line).ok()?;
    let mut reply = String::new();
    BufReader::new(stream.take(MAX_MESSAGE))
        .read_line(&mut reply)
        .ok()?;
    serde_json::from_str(&reply).ok()
}

#[cfg(unix)]
#[expect(
    clippy::disallowed_methods,
    reason = "removes a socket an ended window of this id left"
)]
fn listen(
    dir: &Path,
    open: OpenPaths,
    deliver: impl Fn(Incoming) + Send + Sync + 'static,
) -> std::io::Result<Listening> {
    let socket = dir.join(format!("{}.sock", std::process::id()));
    // A socket of an ended process with this id.
    let _ = std::fs::remove_file(&socket);
    let listener = std::os::unix::net::UnixListener::bind(&socket)?;
    std::thread::Builder::new()
        .name("auditview-instance".into())
        .spawn(move || {
            let deliver = Arc::new(deliver);
            for stream in listener.incoming().flatten() {
                let _ = stream.set_read_timeout(Some(TIMEOUT));
                let _ = stream.set_write_timeout(Some(TIMEOUT));
                // Each caller on its own thread: one that says nothing
                // holds up no other. Nonsense gets no answer.
                let (open, deliver) = (open.clone(), deliver.clone());
                let _ = std::thread::Builder::new()
                    .name("auditview-instance-caller".into())
                    .spawn(move || answer(stream, &open, &*deliver));
            }
        })?;
    Ok(Listening { socket })
}

#[cfg(not(unix))]
fn listen(
    _dir: &Path,
    _open: OpenPaths,
    _deliver: impl Fn(Incoming) + Send + Sync + 'static,
) -> std::io::Result<Listening> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no Unix sockets here",
    ))
}

#[cfg(unix)]
fn answer(
    stream: std::os::unix::net::UnixStream,
    open: &OpenPaths,
    deliver: &impl Fn(Incoming),
) -> Option<()> {
    let mut line = String::new();
    BufReader::new((&stream).take(MAX_MESSAGE))
        .read_line(&mut line)
        .ok()?;
    let reply = match serde_json::from_str::<Question>(&line).ok()? {
        Question::Has { paths } if open.covers(&paths) => {
            deliver(Incoming::Raise(paths));
            Answer::Same
        }
        Question::Has { .. } => Answer::Other,
        Question::Open { paths } => {
            deliver(Incoming::Open(paths));
            Answer::Taken
        }
    };
    let mut text = serde_json::to_vec(&reply).ok()?;
    text.push(b'\n');
    (&stream).write_all(&text).ok()
}

#[cfg(test)]
#[cfg(unix)]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
mod tests {
    use std::sync::mpsc;

    use super::*;

    fn window(
        instances: &Instances,
        open: &[PathBuf],
    ) -> (Listening, mpsc::Receiver<Incoming>, OpenPaths) {
        let paths = OpenPaths::default();
        paths.set(open);
        let (tx, rx) = mpsc::channel();
        let listening = instances
            .listen(paths.clone(), move |i| {
                let _ = tx.send(i);
            })
            .unwrap();
        (listening, rx, paths)
    }

    #[test]
    fn with_no_window_running_a_launch_opens_its_files_itself() {
        let dir = tempfile::tempdir().unwrap();
        let instances = Instances::in_folder(dir.path().join("sockets")).unwrap();
        assert_eq!(
            instances.hand_over(&[dir.path().to_path_buf()]),
            Arrival::NoneRunning
        );
    }

    #[test]
    fn files_open_in_a_window_raise_it_instead_of_loading_again() {
        let dir = tempfile::tempdir().unwrap();
        let evidence = dir.path().join("evidence");
        std::fs::create_dir(&evidence).unwrap();
        std::fs::write(evidence.join("audit.log"), "").unwrap();
        let instances = Instances::in_folder(dir.path().join("sockets")).unwrap();
        let (_window, requests, _) = window(&instances, std::slice::from_ref(&evidence));
        // The folder itself, and a file inside it, by another spelling.
        let spelled = evidence.join("..").join("evidence");
        assert_eq!(instances.hand_over(&[spelled]), Arrival::AlreadyOpen);
        assert_eq!(
            instances.hand_over(&[evidence.join("audit.log")]),
            Arrival::AlreadyOpen
        );
        assert!(matches!(requests.try_recv(), Ok(Incoming::Raise(_))));
    }

    #[test]
    fn other_files_go_to_the_newest_window_which_decides() {
        let dir = tempfile::tempdir().unwrap();
        let instances = Instances::in_folder(dir.path().join("sockets")).unwrap();
        let (_window, requests, open) = window(&instances, &[dir.path().join("a")]);
        let other = dir.path().join("b.csv");
        assert_eq!(
            instances.hand_over(std::slice::from_ref(&other)),
            Arrival::Handed
        );
        assert_eq!(
            requests.try_recv(),
            Ok(Incoming::Open(vec![resolve(&other)]))
        );
        // A window with nothing open is asked to open them too.
        open.set(&[]);
        assert_eq!(instances.hand_over(&[other]), Arrival::Handed);
    }

    #[test]
    fn a_socket_left_by_an_ended_window_is_removed_and_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let sockets = dir.path().join("sockets");
        let instances = Instances::in_folder(sockets.clone()).unwrap();
        // A listener bound and dropped leaves its file, as a killed window does.
        let stale = sockets.join("999999.sock");
        drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
        assert!(stale.exists());
        assert_eq!(
            instances.hand_over(&[dir.path().join("x")]),
            Arrival::NoneRunning
        );
        assert!(!stale.exists());
    }

    #[test]
    fn a_caller_speaking_nonsense_gets_no_answer_and_the_window_keeps_answering() {
        let dir = tempfile::tempdir().unwrap();
        let instances = Instances::in_folder(dir.path().join("sockets")).unwrap();
        let (window, _requests, _) = window(&instances, &[dir.path().join("a")]);
        let mut garbage = connect(&window.socket).unwrap();
        garbage.write_all(b"{\"ask\":\"format-disk\"}\n").unwrap();
        let mut reply = String::new();
        let _ = garbage.read_to_string(&mut reply);
        assert_eq!(reply, "");
        // Silent callers time out; the next one is answered.
        let _silent = connect(&window.socket).unwrap();
        assert_eq!(
            instances.hand_over(&[dir.path().join("b")]),
            Arrival::Handed
        );
    }

    #[test]
    fn a_socket_folder_others_can_enter_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(Instances::in_folder(shared).is_err());
    }
}
