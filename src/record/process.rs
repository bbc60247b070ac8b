//! The child processes of a recording (`ffprobe`, decoders, the encoder):
//! started in their own process group, so that a Ctrl-C in the terminal
//! reaches only the recorder, which then stops them; killed and reaped when
//! dropped, so that no error path leaves one behind; their stderr collected
//! for the one line an error reports.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread::JoinHandle;

use crate::error::MediaError;

/// How much of a child's stderr is kept: its first lines are the ones that
/// say what went wrong.
const STDERR_KEPT: usize = 4096;

/// A command of `program` that reads nothing from the terminal and says
/// only what went wrong.
pub(crate) fn command(program: &Path) -> Command {
    let mut command = Command::new(program);
    command.args(["-nostdin", "-hide_banner", "-v", "error"]);
    command
}

/// A running child process; see the module docs.
#[derive(Debug)]
pub(crate) struct Process {
    child: Child,
    stderr: Option<JoinHandle<String>>,
    role: &'static str,
    file: PathBuf,
    reaped: bool,
}

impl Process {
    /// Starts `command` (its stdout piped, stdin piped or closed), which
    /// does `role` on `file`. A program that is not installed is
    /// [`MediaError::Missing`].
    pub(crate) fn spawn(
        command: &mut Command,
        stdin: bool,
        role: &'static str,
        file: &Path,
    ) -> Result<Process, MediaError> {
        let program = PathBuf::from(command.get_program());
        let mut child = command
            .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => MediaError::Missing {
                    program: program.clone(),
                },
                _ => MediaError::Failed {
                    role,
                    file: file.to_owned(),
                    message: format!("{} cannot start: {e}", program.display()),
                },
            })?;
        // Drained as it comes, so that a talkative child never blocks on a
        // full pipe.
        let stderr = child.stderr.take().map(|mut pipe| {
            std::thread::spawn(move || {
                let mut kept = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buf) {
                    let room = STDERR_KEPT.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                String::from_utf8_lossy(&kept).into_owned()
            })
        });
        Ok(Process {
            child,
            stderr,
            role,
            file: file.to_owned(),
            reaped: false,
        })
    }

    /// The child's stdin, once.
    pub(crate) fn stdin(&mut self) -> Option<ChildStdin> {
        self.child.stdin.take()
    }

    /// The child's stdout, once.
    pub(crate) fn stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout.take()
    }

    /// Waits for the child to end; an error, with the first line it said,
    /// when it failed.
    pub(crate) fn finish(&mut self) -> Result<(), MediaError> {
        drop(self.child.stdin.take());
        let status = self.child.wait();
        self.reaped = true;
        let said = self
            .stderr
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default();
        match status {
            Ok(status) if status.success() => Ok(()),
            status => {
                let message = first_line(&said, &self.file).unwrap_or_else(|| match status {
                    Ok(status) => format!("ended with {status}"),
                    Err(e) => e.to_string(),
                });
                Err(MediaError::Failed {
                    role: self.role,
                    file: self.file.clone(),
                    message,
                })
            }
        }
    }

    /// Stops the child now.
    pub(crate) fn kill(&mut self) {
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.reaped = true;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The line of what a program said that tells what went wrong: the one
/// about `file` (ffmpeg sums up a file it cannot open as `file:PATH:
/// reason`), without the name the error already gives; else the first,
/// without the `[demuxer @ 0x...]` it may start with.
pub(crate) fn first_line(said: &str, file: &Path) -> Option<String> {
    let prefix = format!("{}: ", url(file).to_string_lossy());
    let mut lines = said.lines().map(str::trim).filter(|l| !l.is_empty());
    if let Some(about) = lines.clone().find_map(|l| l.strip_prefix(&prefix)) {
        return Some(about.to_owned());
    }
    let line = lines.next()?;
    let bare = line
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
        .filter(|(tag, _)| tag.contains(" @ "))
        .map_or(line, |(_, rest)| rest);
    Some(bare.to_owned())
}

/// A file as ffmpeg's `file:` protocol reads it: a name that starts with
/// `-` or holds `:` is never taken for an option or another protocol.
pub(crate) fn url(file: &Path) -> OsString {
    let mut url = OsString::from("file:");
    url.push(file);
    url
}

/// Asks the system for a pipe of `bytes` (at most 1 MiB, the most a user
/// may have without privileges), so that a frame goes through in a few
/// system calls rather than one per 64 KiB. A refusal leaves it as it was.
pub(crate) fn widen(pipe: impl std::os::fd::AsFd, bytes: usize) {
    let _ = rustix::pipe::fcntl_setpipe_size(pipe, bytes.min(1 << 20));
}

/// A pipe to the encoder broke: the encoder stopped reading, and what it
/// said when it ended is the error to report (see `settle`).
pub(crate) fn pipe_broke(e: std::io::Error) -> MediaError {
    MediaError::Failed {
        role: "encoder",
        file: PathBuf::new(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_that_says_what_went_wrong() {
        let file = Path::new("in/junk.mp4");
        let said =
            "[mov,mp4,m4a @ 0x55d0] moov atom not found\nfile:in/junk.mp4: Invalid data found\n";
        assert_eq!(
            first_line(said, file).as_deref(),
            Some("Invalid data found")
        );
        let said = "\n[h264 @ 0x1] error while decoding MB 3 4\nConversion failed!\n";
        assert_eq!(
            first_line(said, file).as_deref(),
            Some("error while decoding MB 3 4")
        );
        assert_eq!(first_line("[x] y\n", file).as_deref(), Some("[x] y"));
        assert_eq!(first_line(" \n", file), None);
    }
}
