//! Pictures from files (SPEC §7, §8): users' sources from a folder, the job's
//! image references resolved without ever fetching from a network, decoding
//! within limits, and PNG files written whole or not at all.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{ImageEncoder, ImageReader, Limits, RgbImage};

use super::{Picture, Pictures};
use crate::error::{Error, ImageError, ImageProblem};
use crate::layout::{Layout, Placeholder, TileKind};
use crate::template::Stream;

/// Largest side of a decoded picture (SPEC §8).
pub const MAX_PICTURE_SIDE: u32 = 8192;
/// Largest decoded buffer (SPEC §8).
pub const MAX_PICTURE_BYTES: u64 = 256 * 1024 * 1024;

/// Decodes a PNG or JPEG file (by its content, not its name) within SPEC
/// §8's limits.
pub fn load_picture(path: &Path) -> Result<Picture, ImageError> {
    let error = |problem| ImageError {
        path: path.to_owned(),
        problem,
    };
    let mut reader = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .map_err(|e| error(ImageProblem::Read(e)))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PICTURE_SIDE);
    limits.max_image_height = Some(MAX_PICTURE_SIDE);
    limits.max_alloc = Some(MAX_PICTURE_BYTES);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| error(ImageProblem::Decode(e)))?;
    Ok(Picture::new(image))
}

/// Where a preview finds its pictures.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The job file's folder: relative image references are read from here.
    pub job_dir: PathBuf,
    /// `--sources DIR`: `<user_id>.png|.jpg` (camera) and
    /// `<user_id>.screen.png|.jpg` (screen).
    pub sources: Option<PathBuf>,
    /// `--images DIR`: files standing in for references that are never
    /// fetched (`s3://`, `https://`, …), by the reference's file name.
    pub images: Option<PathBuf>,
}

/// An image reference that was not drawn: a remote URI (never fetched)
/// without a stand-in file. The preview draws the fallback colour instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfetched {
    /// The reference as written in the job.
    pub reference: String,
}

impl fmt::Display for Unfetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: {} is not fetched (give its file with --images DIR); drawing the fallback colour",
            self.reference
        )
    }
}

/// How a reference is read.
enum Resolved {
    File(PathBuf),
    Remote { name: String },
}

/// Resolves a job image reference: `file://` and plain paths are local
/// (relative ones from the job's folder); any other `scheme://` is remote.
fn resolve(reference: &str, job_dir: &Path) -> Resolved {
    if let Some(path) = reference.strip_prefix("file://") {
        return Resolved::File(job_dir.join(path));
    }
    match reference.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            let path = rest.split(['?', '#']).next().unwrap_or(rest);
            let name = path.rsplit('/').next().unwrap_or(path).to_owned();
            Resolved::Remote { name }
        }
        _ => Resolved::File(job_dir.join(reference)),
    }
}

/// True for user ids that may name a file: `A-Z a-z 0-9 _ . -`, not
/// starting with `.` (so no path can be formed from an id).
fn file_safe(user_id: &str) -> bool {
    !user_id.starts_with('.')
        && user_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The first of `DIR/<stem>.png` and `DIR/<stem>.jpg` that exists.
fn source_file(dir: &Path, stem: &str) -> Option<PathBuf> {
    ["png", "jpg"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

/// The files a layout's pictures come from, found but not decoded: users'
/// sources, and job image references resolved as SPEC §7 says. The preview
/// decodes them ([`Pictures::load`]); an export names them to ffmpeg or
/// GStreamer.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    sources: HashMap<(String, Stream), PathBuf>,
    images: HashMap<String, PathBuf>,
    /// Remote references without a stand-in: drawn as the fallback colour.
    pub unfetched: Vec<Unfetched>,
}

impl Inputs {
    /// Finds the files of every picture `layout` can show: the sources of
    /// its video tiles in `options.sources`, and its image references
    /// (background, screen background, placeholders). A local image
    /// reference whose file is missing is an error.
    pub fn locate(layout: &Layout, options: &LoadOptions) -> Result<Inputs, ImageError> {
        let mut inputs = Inputs::default();
        if let Some(dir) = &options.sources {
            for tile in layout.tiles.iter().filter(|t| t.kind == TileKind::Video) {
                let (Some(user), Some(stream)) = (tile.user_id.as_deref(), tile.stream) else {
                    continue;
                };
                let key = (user.to_owned(), stream);
                if !file_safe(user) || inputs.sources.contains_key(&key) {
                    continue;
                }
                let stem = match stream {
                    Stream::Camera => user.to_owned(),
                    Stream::Screen => format!("{user}.screen"),
                };
                if let Some(path) = source_file(dir, &stem) {
                    inputs.sources.insert(key, path);
                }
            }
        }
        let background = &layout.background;
        let placeholders = layout.tiles.iter().filter_map(|t| match &t.placeholder {
            Some(Placeholder::Image(reference)) => Some(reference),
            _ => None,
        });
        for reference in background
            .image
            .iter()
            .chain(&background.screen_image)
            .chain(placeholders)
        {
            let known = inputs.images.contains_key(&**reference)
                || inputs.unfetched.iter().any(|w| *w.reference == **reference);
            if known {
                continue;
            }
            match resolve(reference, &options.job_dir) {
                Resolved::File(path) if path.is_file() => {
                    inputs.images.insert(reference.to_string(), path);
                }
                Resolved::File(path) => {
                    return Err(ImageError {
                        path,
                        problem: ImageProblem::Read(std::io::ErrorKind::NotFound.into()),
                    });
                }
                Resolved::Remote { name } => {
                    let stand_in = options.images.as_ref().map(|dir| dir.join(&name));
                    match stand_in.filter(|p| !name.is_empty() && p.is_file()) {
                        Some(path) => {
                            inputs.images.insert(reference.to_string(), path);
                        }
                        None => inputs.unfetched.push(Unfetched {
                            reference: reference.to_string(),
                        }),
                    }
                }
            }
        }
        Ok(inputs)
    }

    /// The file of `user_id`'s camera or screen.
    pub fn source(&self, user_id: &str, stream: Stream) -> Option<&Path> {
        self.sources
            .get(&(user_id.to_owned(), stream))
            .map(PathBuf::as_path)
    }

    /// The file of a job image reference.
    pub fn image(&self, reference: &str) -> Option<&Path> {
        self.images.get(reference).map(PathBuf::as_path)
    }
}

impl Pictures {
    /// Loads every picture `layout` can show (see [`Inputs::locate`]).
    ///
    /// A local image that is missing or does not decode is an error; so is a
    /// source file that exists but does not decode. A user without a source
    /// file, and a remote reference without a stand-in in `options.images`,
    /// are drawn as flat colours; the latter are returned as warnings.
    pub fn load(
        layout: &Layout,
        options: &LoadOptions,
    ) -> Result<(Pictures, Vec<Unfetched>), Error> {
        let inputs = Inputs::locate(layout, options)?;
        let mut files: Vec<(&Path, Key<'_>)> = inputs
            .sources
            .iter()
            .map(|((user, stream), path)| (path.as_path(), Key::Source(user, *stream)))
            .chain(
                inputs
                    .images
                    .iter()
                    .map(|(reference, path)| (path.as_path(), Key::Image(reference))),
            )
            .collect();
        // A fixed order, so that the error reported is always the same one.
        files.sort_by(|a, b| a.0.cmp(b.0));
        let decoded = decode_all(&files);
        let mut pictures = Pictures::new();
        for ((_, key), picture) in files.iter().zip(decoded) {
            match *key {
                Key::Source(user, stream) => pictures.insert_source(user, stream, picture?),
                Key::Image(reference) => pictures.insert_image(reference, picture?),
            }
        }
        Ok((pictures, inputs.unfetched))
    }
}

/// What a decoded file is for.
enum Key<'a> {
    Source(&'a str, Stream),
    Image(&'a str),
}

/// Decodes `files` on as many threads as the machine has: decoding
/// dominates a preview of large sources, and the files are independent.
fn decode_all(files: &[(&Path, Key<'_>)]) -> Vec<Result<Picture, ImageError>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    super::parallel_map(files, threads, |(path, _)| load_picture(path))
}

/// The size of a PNG or JPEG file, read from its header, within SPEC §8's
/// limits.
pub fn picture_size(path: &Path) -> Result<crate::geometry::SourceSize, ImageError> {
    let error = |problem| ImageError {
        path: path.to_owned(),
        problem,
    };
    let (w, h) = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .map_err(|e| error(ImageProblem::Read(e)))?
        .into_dimensions()
        .map_err(|e| error(ImageProblem::Decode(e)))?;
    crate::geometry::SourceSize::new(w, h).ok_or_else(|| {
        let limit =
            image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError);
        error(ImageProblem::Decode(image::ImageError::Limits(limit)))
    })
}

/// Writes `image` as an 8-bit RGB PNG with fast compression. The file is
/// written beside `path` under a temporary name and renamed into place, so a
/// failure never leaves a partial file at `path`.
pub fn write_png(image: &RgbImage, path: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| io(std::io::ErrorKind::InvalidInput.into()))?;
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let file = std::fs::File::create(&temp)?;
        let mut out = BufWriter::new(file);
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgb8,
            )
            .map_err(std::io::Error::other)?;
        out.flush()?;
        out.get_ref().sync_all()?;
        drop(out);
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_without_network() {
        let dir = Path::new("/jobs");
        assert!(
            matches!(resolve("bg.png", dir), Resolved::File(p) if p == Path::new("/jobs/bg.png"))
        );
        assert!(
            matches!(resolve("file:///abs/bg.png", dir), Resolved::File(p) if p == Path::new("/abs/bg.png"))
        );
        assert!(
            matches!(resolve("s3://bucket/a/u2.png", dir), Resolved::Remote { name } if name == "u2.png")
        );
        assert!(
            matches!(resolve("https://x.test/p/q.jpg?sig=1", dir), Resolved::Remote { name } if name == "q.jpg")
        );
        // Not a scheme: a relative path with "://" inside stays local.
        assert!(matches!(resolve("a b://c", dir), Resolved::File(_)));
    }

    #[test]
    fn only_plain_ids_name_files() {
        assert!(file_safe("u1") && file_safe("Alice_2.x-y"));
        for bad in [".hidden", "../etc", "a/b", "a b", "é"] {
            assert!(!file_safe(bad), "{bad}");
        }
    }
}
