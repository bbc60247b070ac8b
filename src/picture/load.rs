//! Pictures from files (§7, §8): users' sources from a folder, the job's
//! image references resolved without ever fetching from a network, and
//! decoding within limits and within a memory budget.
//!
//! Every picture is read from its file's header first, so the plan knows
//! its size before anything is decoded. Then each is decoded, shrunk at once
//! to what its tiles show (at most twice that), and the full decoded buffer
//! dropped before more is decoded: whatever the sizes of the files, the
//! pictures held stay near the size of the canvas, and the files decoding
//! at any moment need at most [`DECODE_BUDGET`] bytes.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::{ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;

use super::{Picture, Pictures};
use crate::error::{Error, Escaped, FileKind, ImageError, ImageProblem};
use crate::geometry::Rect;
use crate::job::{Job, Placeholder};
use crate::layout::{Layout, TileKind};
use crate::limits::{MAX_PICTURE_BYTES, MAX_PICTURE_SIDE};
use crate::plan::{
    Catalog, Layer, PictureInfo, PictureName, PictureRef, Style, covering, plan_into,
};
use crate::source::{SourceSize, Stream};

/// Most bytes that pictures being decoded may hold at once (their decoded
/// buffers and one conversion each), on any number of cores. A picture
/// larger than this alone is decoded alone.
pub const DECODE_BUDGET: u64 = 512 * 1024 * 1024;

/// Checks that `path` is a regular file (following links) without opening
/// it: a named pipe would block a reader.
fn regular_file(path: &Path) -> Result<(), ImageProblem> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ImageProblem::Missing,
        _ => ImageProblem::Read(e),
    })?;
    if meta.is_file() {
        return Ok(());
    }
    Err(ImageProblem::NotAFile(if meta.is_dir() {
        FileKind::Directory
    } else if is_fifo(&meta) {
        FileKind::Fifo
    } else {
        FileKind::Special
    }))
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

fn reader(path: &Path) -> Result<ImageReader<std::io::BufReader<std::fs::File>>, ImageProblem> {
    regular_file(path)?;
    let mut reader = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .map_err(ImageProblem::Read)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PICTURE_SIDE);
    limits.max_image_height = Some(MAX_PICTURE_SIDE);
    limits.max_alloc = Some(MAX_PICTURE_BYTES);
    reader.limits(limits);
    Ok(reader)
}

fn at(path: &Path) -> impl Fn(ImageProblem) -> ImageError + '_ {
    move |problem| ImageError {
        field: None,
        path: path.to_owned(),
        problem,
    }
}

/// Decodes a PNG or JPEG file (by its content, not its name) within the
/// limits of §8 (at most 8192 pixels a side and 256 MiB decoded).
pub fn load_picture(path: &Path) -> Result<Picture, ImageError> {
    let image = reader(path)
        .and_then(|r| r.decode().map_err(ImageProblem::Decode))
        .map_err(at(path))?;
    Picture::new(image).ok_or_else(|| at(path)(too_large()))
}

fn too_large() -> ImageProblem {
    let limit = image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError);
    ImageProblem::Decode(image::ImageError::Limits(limit))
}

/// What a file's header says: its size and whether it has alpha.
pub(crate) fn picture_info(path: &Path) -> Result<PictureInfo, ImageError> {
    let decoder = reader(path)
        .and_then(|r| r.into_decoder().map_err(ImageProblem::Decode))
        .map_err(at(path))?;
    let (w, h) = decoder.dimensions();
    let size = SourceSize::new(w, h).ok_or_else(|| at(path)(too_large()))?;
    Ok(PictureInfo {
        size,
        opaque: !decoder.color_type().has_alpha(),
    })
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
/// without a stand-in file. Painters draw the fallback colour instead.
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
            Escaped(&self.reference)
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

/// The first of `DIR/<stem>.png` and `DIR/<stem>.jpg` that is there (in
/// any form: a folder or a pipe of that name is an error, not a miss).
fn source_file(dir: &Path, stem: &str) -> Option<PathBuf> {
    ["png", "jpg"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| std::fs::symlink_metadata(p).is_ok())
}

/// A file a layout can show, with what its header says.
#[derive(Clone, Debug)]
struct Input {
    path: PathBuf,
    info: PictureInfo,
}

/// The files the pictures of some layouts come from, found and read from
/// their headers but not decoded: users' sources, and job image references
/// resolved as §7 says. The preview decodes them
/// ([`Pictures::load`]); an export names them to ffmpeg or GStreamer.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    sources: HashMap<(String, Stream), Input>,
    images: HashMap<String, Input>,
    /// Remote references without a stand-in: drawn as the fallback colour.
    pub unfetched: Vec<Unfetched>,
}

impl Inputs {
    /// Finds the files of every picture `layouts` can show: the sources of
    /// their video tiles in `options.sources`, and their image references
    /// (background, screen background, placeholders). A local image that
    /// is missing, a source or image that is not a regular file, and a file
    /// whose header does not read are errors naming the file (and the job
    /// field of an image).
    pub fn locate(
        job: &Job,
        layouts: &[&Layout],
        options: &LoadOptions,
    ) -> Result<Inputs, ImageError> {
        let mut inputs = Inputs::default();
        for layout in layouts {
            inputs.locate_one(job, layout, options)?;
        }
        Ok(inputs)
    }

    fn locate_one(
        &mut self,
        job: &Job,
        layout: &Layout,
        options: &LoadOptions,
    ) -> Result<(), ImageError> {
        if let Some(dir) = &options.sources {
            for tile in layout.tiles.iter().filter(|t| t.kind == TileKind::Video) {
                let (Some(user), Some(stream)) = (tile.user_id.as_deref(), tile.stream) else {
                    continue;
                };
                let key = (user.to_owned(), stream);
                if !file_safe(user) || self.sources.contains_key(&key) {
                    continue;
                }
                let stem = match stream {
                    Stream::Camera => user.to_owned(),
                    Stream::Screen => format!("{user}.screen"),
                };
                if let Some(path) = source_file(dir, &stem) {
                    let info = picture_info(&path)?;
                    self.sources.insert(key, Input { path, info });
                }
            }
        }
        for reference in job_images(layout) {
            let known = self.images.contains_key(&**reference)
                || self.unfetched.iter().any(|w| *w.reference == **reference);
            if known {
                continue;
            }
            let named = |mut e: ImageError| {
                e.field = job.image_field(reference).map(str::to_owned);
                e
            };
            let path = match resolve(reference, &options.job_dir) {
                Resolved::File(path) => path,
                Resolved::Remote { name } => {
                    let stand_in = options.images.as_ref().map(|dir| dir.join(&name));
                    match stand_in
                        .filter(|p| !name.is_empty() && std::fs::symlink_metadata(p).is_ok())
                    {
                        Some(path) => path,
                        None => {
                            self.unfetched.push(Unfetched {
                                reference: reference.to_string(),
                            });
                            continue;
                        }
                    }
                }
            };
            let info = picture_info(&path).map_err(named)?;
            self.images
                .insert(reference.to_string(), Input { path, info });
        }
        Ok(())
    }

    /// The file of `user_id`'s camera or screen.
    pub fn source(&self, user_id: &str, stream: Stream) -> Option<&Path> {
        self.sources
            .get(&(user_id.to_owned(), stream))
            .map(|i| i.path.as_path())
    }

    /// The file of a job image reference.
    pub fn image(&self, reference: &str) -> Option<&Path> {
        self.images.get(reference).map(|i| i.path.as_path())
    }

    /// The bytes the pictures take decoded as RGBA, all together.
    pub fn decoded_bytes(&self) -> u64 {
        self.sources
            .values()
            .chain(self.images.values())
            .map(|i| i.info.size.get().area() * 4)
            .sum()
    }
}

impl Catalog for Inputs {
    fn source(&self, user_id: &str, stream: Stream) -> Option<PictureInfo> {
        self.sources
            .get(&(user_id.to_owned(), stream))
            .map(|i| i.info)
    }

    fn image(&self, reference: &str) -> Option<PictureInfo> {
        self.images.get(reference).map(|i| i.info)
    }
}

/// What a decoded file is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Source(String, Stream),
    Image(String),
}

impl Pictures {
    /// Loads every picture `layouts` can show (see [`Inputs::locate`]),
    /// each shrunk to what the layouts' tiles need of it.
    ///
    /// A local image that is missing or does not decode is an error; so is
    /// a source file that exists but does not decode. A user without a
    /// source file, and a remote reference without a stand-in in
    /// `options.images`, are drawn as flat colours; the latter are returned
    /// as warnings.
    pub fn load(
        job: &Job,
        layouts: &[&Layout],
        options: &LoadOptions,
    ) -> Result<(Pictures, Vec<Unfetched>), Error> {
        let inputs = Inputs::locate(job, layouts, options)?;
        let needs = needs(layouts, &inputs);
        let mut files: Vec<(Key, &Input)> = inputs
            .sources
            .iter()
            .map(|((user, stream), input)| (Key::Source(user.clone(), *stream), input))
            .chain(
                inputs
                    .images
                    .iter()
                    .map(|(reference, input)| (Key::Image(reference.clone()), input)),
            )
            .collect();
        // A fixed order, so that the error reported is always the same one.
        files.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        let mut pictures = Pictures::new();
        let job_field = |key: &Key| match key {
            Key::Image(reference) => job.image_field(reference).map(str::to_owned),
            Key::Source(..) => None,
        };
        for batch in batches(&files) {
            let decoded: Vec<Result<Picture, ImageError>> = batch
                .par_iter()
                .map(|(key, input)| {
                    let picture = load_picture(&input.path).map_err(|mut e| {
                        e.field = job_field(key);
                        e
                    })?;
                    let keep = needs.get(key).copied().unwrap_or(input.info.size);
                    Ok(picture.reduced(keep))
                })
                .collect();
            for ((key, _), picture) in batch.iter().zip(decoded) {
                match key.clone() {
                    Key::Source(user, stream) => pictures.insert_source(user, stream, picture?),
                    Key::Image(reference) => pictures.insert_image(reference, picture?),
                }
            }
        }
        Ok((pictures, inputs.unfetched))
    }
}

/// Files grouped so that each group decodes within [`DECODE_BUDGET`]: a
/// picture's decoded RGBA buffer and its conversion, estimated from its
/// header.
fn batches<'a>(files: &'a [(Key, &'a Input)]) -> Vec<&'a [(Key, &'a Input)]> {
    let threads = rayon::current_num_threads().max(1);
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, (_, input)) in files.iter().enumerate() {
        let need = input.info.size.get().area() * 8;
        if i > start && (bytes + need > DECODE_BUDGET || i - start >= threads) {
            out.push(&files[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += need;
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// How large each picture needs to be kept: the largest scale at which any
/// layer of the layouts' plans draws it. A picture is only shrunk when it
/// is at least twice as large as that, so that most pictures are scaled
/// once, as they are drawn.
fn needs(layouts: &[&Layout], inputs: &Inputs) -> HashMap<Key, SourceSize> {
    let mut scale: HashMap<Key, (f64, SourceSize)> = HashMap::new();
    let mut layers = Vec::new();
    for layout in layouts {
        let Ok(canvas) = plan_into(layout, inputs, &Style::default(), &mut layers) else {
            continue;
        };
        let mut uses: Vec<(Key, Rect, Rect)> = Vec::new();
        for layer in &layers {
            match *layer {
                Layer::Picture { picture, crop, dst } => {
                    if let Some(key) = key_of(layout, picture) {
                        uses.push((key, crop, dst));
                    }
                }
                Layer::Backdrop { .. } => {
                    if let Some(reference) = &layout.background.image {
                        let key = Key::Image(reference.to_string());
                        if let Some(info) = Catalog::image(inputs, reference) {
                            let whole = Rect::from_size(canvas);
                            let (crop, dst) = covering(whole, info.size);
                            uses.push((key, crop, dst));
                        }
                    }
                }
                _ => {}
            }
        }
        for (key, crop, dst) in uses {
            let size = match &key {
                Key::Source(user, stream) => Catalog::source(inputs, user, *stream),
                Key::Image(reference) => Catalog::image(inputs, reference),
            };
            let Some(info) = size else { continue };
            let s = (f64::from(dst.width) / f64::from(crop.width.max(1)))
                .max(f64::from(dst.height) / f64::from(crop.height.max(1)));
            let entry = scale.entry(key).or_insert((0.0, info.size));
            entry.0 = entry.0.max(s);
        }
    }
    scale
        .into_iter()
        .map(|(key, (s, size))| {
            let s = if s > 0.5 { 1.0 } else { s };
            let keep = |side: u32| ((f64::from(side) * s).ceil() as u32).clamp(1, side);
            let reduced = SourceSize::new(keep(size.width()), keep(size.height())).unwrap_or(size);
            (key, reduced)
        })
        .collect()
}

/// The file key of a picture layer.
fn key_of(layout: &Layout, picture: PictureRef) -> Option<Key> {
    Some(match picture.name(layout)? {
        PictureName::Source(user_id, stream) => Key::Source(user_id.to_owned(), stream),
        PictureName::Image(reference) => Key::Image(reference.to_owned()),
    })
}

/// The job images a layout shows: its background image, its screen
/// background image and its tiles' placeholder images.
pub(crate) fn job_images(layout: &Layout) -> impl Iterator<Item = &Arc<str>> {
    let placeholders = layout.tiles.iter().filter_map(|t| match &t.placeholder {
        Some(Placeholder::Image(reference)) => Some(reference),
        _ => None,
    });
    layout
        .background
        .image
        .iter()
        .chain(&layout.background.screen_image)
        .chain(placeholders)
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
