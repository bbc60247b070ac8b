//! Output files written whole or not at all (§7, feature `render`).
//!
//! An [`Output`] stands for the file being made: what is written goes to a
//! temporary file with a short name beside the target, and only
//! [`Output::commit`] puts it in place; if anything fails, or the `Output`
//! is dropped first, the temporary file is removed. A target that is a
//! symbolic link is followed (the link stays and its target is replaced); a
//! target that is not a regular file (a device such as `/dev/null`, a named
//! pipe) is written in place, never replaced; an existing file that the
//! process may not write is refused before anything is written.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::Error;

/// Symbolic links followed at most, as the kernel does.
const MAX_LINKS: usize = 40;

/// Temporary names made by this process so far.
static MADE: AtomicU32 = AtomicU32::new(0);

/// What the target is.
#[derive(Debug)]
enum Kind {
    /// A regular file, or nothing yet: replaced by a rename. The
    /// permissions of a file that was there are kept.
    Replace(Option<std::fs::Permissions>),
    /// A device or a pipe: written in place.
    InPlace,
}

/// A file being written: see the module docs.
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    temp: PathBuf,
    kind: Kind,
    committed: bool,
}

impl Output {
    /// Prepares to write `path`; an error when it is a folder, when an
    /// existing file may not be written, or when a link cannot be followed.
    pub fn new(path: &Path) -> Result<Output, Error> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let target = follow_links(path).map_err(io)?;
        let kind = match std::fs::metadata(&target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Kind::Replace(None),
            Err(e) => return Err(io(e)),
            Ok(meta) if meta.is_dir() => {
                return Err(io(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a folder",
                )));
            }
            Ok(meta) if meta.is_file() => {
                // Opening for writing (without truncating) asks the system
                // whether this process may write the file, and changes
                // nothing.
                OpenOptions::new().write(true).open(&target).map_err(io)?;
                Kind::Replace(Some(meta.permissions()))
            }
            Ok(_) => Kind::InPlace,
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        // A short name, so that a target's name of any length leaves room;
        // the target's extension kept, for programs that go by it.
        let extension = target
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
            .map(|e| format!(".{e}"))
            .unwrap_or_default();
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".mixlayout-{}-{n}{extension}", std::process::id()));
        Ok(Output {
            target,
            temp,
            kind,
            committed: false,
        })
    }

    /// The file to write (a program may be told to write it).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// The file that [`Output::commit`] writes: the path given, its links
    /// followed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Creates the temporary file, empty.
    pub fn create(&self) -> Result<File, Error> {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.temp)
            .map_err(|source| self.error(source))
    }

    fn error(&self, source: io::Error) -> Error {
        Error::Io {
            path: self.target.clone(),
            source,
        }
    }

    /// Puts what was written in place: renames the temporary file onto the
    /// target, or copies it into a device or pipe.
    pub fn commit(mut self) -> Result<(), Error> {
        let done = match &self.kind {
            Kind::Replace(permissions) => (|| {
                if let Some(p) = permissions {
                    std::fs::set_permissions(&self.temp, p.clone())?;
                }
                File::open(&self.temp)?.sync_all()?;
                std::fs::rename(&self.temp, &self.target)
            })(),
            Kind::InPlace => (|| {
                let mut from = File::open(&self.temp)?;
                let mut to = OpenOptions::new().write(true).open(&self.target)?;
                io::copy(&mut from, &mut to)?;
                to.flush()
            })(),
        };
        done.map_err(|source| self.error(source))?;
        self.committed = !matches!(self.kind, Kind::InPlace);
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// `path` with its symbolic links followed (a link to a file that does not
/// exist yet gives that file's path).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// Writes a file whole or not at all: `write` fills a buffered temporary
/// file, which then replaces the target (see [`Output`]).
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let output = Output::new(path)?;
    let mut out = BufWriter::new(output.create()?);
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(|source| output.error(source))?;
    drop(out);
    output.commit()
}

/// Writes `image` as an 8-bit RGB picture: JPEG when `path` ends in `.jpg`
/// or `.jpeg`, PNG with fast compression otherwise (§7).
pub fn write_image(image: &image::RgbImage, path: &Path) -> Result<(), Error> {
    use image::codecs::jpeg::JpegEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::{ExtendedColorType, ImageEncoder};

    let jpeg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"));
    write_file(path, |out| {
        let (w, h) = image.dimensions();
        let written = if jpeg {
            JpegEncoder::new_with_quality(out, 90).write_image(image, w, h, ExtendedColorType::Rgb8)
        } else {
            PngEncoder::new_with_quality(out, CompressionType::Fast, FilterType::Adaptive)
                .write_image(image, w, h, ExtendedColorType::Rgb8)
        };
        written.map_err(|e| match e {
            image::ImageError::IoError(e) => e,
            other => io::Error::other(other),
        })
    })
}
