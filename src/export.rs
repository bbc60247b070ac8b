//! A layout as a command for the compositors people already run (feature
//! `render`): an ffmpeg `-filter_complex` graph, or a `gst-launch-1.0`
//! pipeline around `compositor`. Both draw what the preview draws (without
//! labels): the background, then each tile opaque in drawing order, its
//! picture cropped and scaled exactly as [`crate::render`] places it.
//!
//! Arguments are a list, never one shell string, so paths with spaces or
//! quotes are safe; [`Command::shell_line`] quotes them for people to copy.
//! Pictures are composed in RGB, so 4:2:0 chroma never bleeds across tile
//! edges, and only local files are named (placeholders and backgrounds
//! resolved as the preview resolves them, [`Inputs::locate`]).

use std::fmt::Write as _;
use std::path::Path;

use crate::color::Rgb;
use crate::error::{Error, ImageError};
use crate::geometry::{Rect, SourceSize};
use crate::layout::{Layout, Placeholder, Role, Tile, TileKind};
use crate::render::{Inputs, RenderOptions, cover_region, picture_size, shown};
use crate::template::Stream;

/// A program and its arguments.
///
/// ```
/// use mixlayout::export::Command;
/// let c = Command { program: "ffmpeg".into(), args: vec!["-i".into(), "my file's.png".into()] };
/// assert_eq!(c.shell_line(), r#"ffmpeg -i 'my file'\''s.png'"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The program, e.g. `ffmpeg`.
    pub program: String,
    /// Its arguments, each passed as one argument.
    pub args: Vec<String>,
}

impl Command {
    /// The command as one line for a POSIX shell, each word quoted as needed.
    pub fn shell_line(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A [`std::process::Command`] ready to run.
    pub fn to_process(&self) -> std::process::Command {
        let mut command = std::process::Command::new(&self.program);
        command.args(&self.args);
        command
    }
}

/// An exporter: [`ffmpeg`] or [`gstreamer`].
pub type Exporter = fn(&Layout, &Inputs, &RenderOptions, &Path) -> Result<Command, Error>;

/// Quotes `word` for a POSIX shell: as it is when it only has safe
/// characters, else in single quotes.
///
/// ```
/// use mixlayout::export::shell_quote;
/// assert_eq!(shell_quote("a/b.png"), "a/b.png");
/// assert_eq!(shell_quote("[0:v]crop=1:2"), "'[0:v]crop=1:2'");
/// assert_eq!(shell_quote(""), "''");
/// ```
pub fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./=:,+@%^".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// One layer of the picture, bottom first: a flat colour or a picture file
/// cropped and scaled into a rectangle.
#[derive(Clone, Debug, PartialEq)]
enum Layer<'a> {
    Color {
        color: Rgb,
        at: Rect,
    },
    Picture {
        path: &'a Path,
        crop: Rect,
        at: Rect,
    },
}

/// The layers that draw `layout`, as the preview draws it without labels.
/// An audio-only layout has no canvas and is an error.
fn layers<'a>(
    layout: &'a Layout,
    inputs: &'a Inputs,
    options: &RenderOptions,
) -> Result<Vec<Layer<'a>>, Error> {
    let canvas = crate::render::canvas(layout)?;
    let whole = Rect::from_size(canvas);
    let mut layers = vec![Layer::Color {
        color: layout.background.color,
        at: whole,
    }];
    let image = |reference: &Option<std::sync::Arc<str>>| {
        reference.as_deref().and_then(|r| inputs.image(r))
    };
    let cover = |path: &'a Path, rect: Rect| -> Result<Layer<'a>, ImageError> {
        let (crop, at) = cover_region(rect, picture_size(path)?);
        Ok(Layer::Picture { path, crop, at })
    };
    // The background image, sized once: each tile's fill shows its part.
    let background = match image(&layout.background.image) {
        Some(path) => {
            let (crop, _) = cover_region(whole, picture_size(path)?);
            layers.push(Layer::Picture {
                path,
                crop,
                at: whole,
            });
            Some((path, crop))
        }
        None => None,
    };
    let screen_image = image(&layout.background.screen_image);
    for tile in &layout.tiles {
        // The tile's fill: what the empty canvas shows there.
        layers.push(Layer::Color {
            color: layout.background.color,
            at: tile.rect,
        });
        if let Some((path, crop)) = background {
            layers.push(Layer::Picture {
                path,
                crop: part_of(crop, whole, tile.rect),
                at: tile.rect,
            });
        }
        if let (Role::Main, Some(path)) = (tile.role, screen_image) {
            layers.push(cover(path, tile.rect)?);
        }
        match tile.kind {
            TileKind::Video => layers.push(video(tile, inputs, options)?),
            TileKind::AudioOnly => layers.push(match &tile.placeholder {
                Some(Placeholder::Image(r)) => match inputs.image(r) {
                    Some(path) => cover(path, tile.rect)?,
                    None => Layer::Color {
                        color: options.placeholder_color,
                        at: tile.rect,
                    },
                },
                Some(Placeholder::Color(color)) => Layer::Color {
                    color: *color,
                    at: tile.rect,
                },
                None => Layer::Color {
                    color: options.placeholder_color,
                    at: tile.rect,
                },
            }),
            TileKind::Empty => {}
        }
    }
    layers.retain(|l| match l {
        Layer::Color { at, .. } => !at.is_empty(),
        Layer::Picture { crop, at, .. } => !at.is_empty() && !crop.is_empty(),
    });
    Ok(layers)
}

/// A video tile's layer: the user's picture where placed, or their colour.
fn video<'a>(
    tile: &Tile,
    inputs: &'a Inputs,
    options: &RenderOptions,
) -> Result<Layer<'a>, ImageError> {
    let user = tile.user_id.as_deref().unwrap_or_default();
    let stream = tile.stream.unwrap_or(Stream::Camera);
    Ok(match inputs.source(user, stream) {
        Some(path) => {
            let size = picture_size(path)?;
            let (crop, at) = shown(tile.place_picture(size, options.max_crop), size);
            Layer::Picture { path, crop, at }
        }
        None => Layer::Color {
            color: Rgb::for_stream(user, stream),
            at: tile.content,
        },
    })
}

/// The part of a picture, shown over `whole` through `crop`, that lands in
/// `rect` (a sub-rectangle of `whole`).
fn part_of(crop: Rect, whole: Rect, rect: Rect) -> Rect {
    let scale =
        |v: u32, num: u32, den: u32| (u64::from(v) * u64::from(num) / u64::from(den.max(1))) as u32;
    let x = crop.x + scale(rect.x - whole.x, crop.width, whole.width);
    let y = crop.y + scale(rect.y - whole.y, crop.height, whole.height);
    let w = scale(rect.width, crop.width, whole.width).max(1);
    let h = scale(rect.height, crop.height, whole.height).max(1);
    Rect::new(
        x,
        y,
        w.min(crop.right() - x.min(crop.right() - 1)),
        h.min(crop.bottom() - y.min(crop.bottom() - 1)),
    )
}

fn hex(color: Rgb) -> String {
    let [r, g, b] = color.0;
    format!("0x{r:02x}{g:02x}{b:02x}")
}

/// The ffmpeg command that composes `layout` into one frame at `output`
/// (PNG, by its name). An audio-only layout (no canvas) is an error.
///
/// Each picture is converted to RGBA, cropped by its source crop and scaled
/// (bilinear) to its content rectangle; flat colours are `color` sources;
/// everything is overlaid in RGB in drawing order.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::path::Path;
/// use std::sync::Arc;
/// use mixlayout::render::{Inputs, LoadOptions, RenderOptions};
/// use mixlayout::{Action, Event, Job, Room};
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "640x360_30_500",
///     "layout_template": "nine_grids_view"}"#)?;
/// let mut room = Room::new(Arc::new(job));
/// room.apply(&Event::join("u1", None))?;
/// let layout = room.layout();
/// let inputs = Inputs::locate(&layout, &LoadOptions::default())?;
/// let command = mixlayout::export::ffmpeg(&layout, &inputs, &RenderOptions::default(), Path::new("out.png"))?;
/// assert_eq!(command.program, "ffmpeg");
/// // Without a source file, u1 is a flat colour filling the canvas.
/// assert!(command.shell_line().contains("color=c="));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ffmpeg(
    layout: &Layout,
    inputs: &Inputs,
    options: &RenderOptions,
    output: &Path,
) -> Result<Command, Error> {
    let layers = layers(layout, inputs, options)?;
    let mut args: Vec<String> = vec!["-v".into(), "error".into(), "-y".into()];
    let mut graph = String::new();
    let mut files = 0;
    let mut below = String::new();
    for (i, layer) in layers.iter().enumerate() {
        let label = format!("l{i}");
        let at = match layer {
            Layer::Color { color, at } => {
                let _ = write!(
                    graph,
                    "color=c={}:s={}x{}:d=1,format=rgba[{label}];",
                    hex(*color),
                    at.width,
                    at.height
                );
                at
            }
            Layer::Picture { path, crop, at } => {
                args.extend(["-i".into(), path.to_string_lossy().into_owned()]);
                let _ = write!(
                    graph,
                    "[{files}:v]format=rgba,crop={}:{}:{}:{},scale={}:{}:flags=bilinear[{label}];",
                    crop.width, crop.height, crop.x, crop.y, at.width, at.height
                );
                files += 1;
                at
            }
        };
        if i > 0 {
            let _ = write!(
                graph,
                "[{below}][{label}]overlay=x={}:y={}:format=rgb:eof_action=repeat[c{i}];",
                at.x, at.y
            );
            below = format!("c{i}");
        } else {
            below = label;
        }
    }
    let _ = write!(graph, "[{below}]format=rgb24[out]");
    args.extend([
        "-filter_complex".into(),
        graph,
        "-map".into(),
        "[out]".into(),
        "-frames:v".into(),
        "1".into(),
        output.to_string_lossy().into_owned(),
    ]);
    Ok(Command {
        program: "ffmpeg".into(),
        args,
    })
}

/// Quotes a value for `gst-launch-1.0`'s own parser (it joins its arguments
/// and reads them again): in double quotes, with `"` and `\` escaped.
fn gst_quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', r"\\").replace('"', "\\\""))
}

/// The `gst-launch-1.0` pipeline that composes `layout` into one PNG frame
/// at `output`: a `compositor` whose pads place each layer (`xpos`, `ypos`,
/// `width`, `height`, `zorder`), pictures decoded, frozen to one frame and
/// cropped with `videocrop`, colours from `videotestsrc`, all in RGBA.
pub fn gstreamer(
    layout: &Layout,
    inputs: &Inputs,
    options: &RenderOptions,
    output: &Path,
) -> Result<Command, Error> {
    let layers = layers(layout, inputs, options)?;
    let canvas = layout.canvas.unwrap_or_default();
    let mut args: Vec<String> = vec![
        "-q".into(),
        "compositor".into(),
        "name=mix".into(),
        "background=black".into(),
    ];
    for (i, layer) in layers.iter().enumerate() {
        let at = match layer {
            Layer::Color { at, .. } | Layer::Picture { at, .. } => at,
        };
        args.extend([
            format!("sink_{i}::xpos={}", at.x),
            format!("sink_{i}::ypos={}", at.y),
            format!("sink_{i}::width={}", at.width),
            format!("sink_{i}::height={}", at.height),
            format!("sink_{i}::zorder={i}"),
        ]);
    }
    args.extend(
        [
            "!",
            &format!(
                "video/x-raw,format=RGBA,width={},height={}",
                canvas.width, canvas.height
            ),
            "!",
            "videoconvert",
            "!",
            "video/x-raw,format=RGB",
            "!",
            "pngenc",
            "snapshot=true",
            "!",
            "filesink",
        ]
        .map(String::from),
    );
    args.push(format!("location={}", gst_quote(&output.to_string_lossy())));
    for (i, layer) in layers.iter().enumerate() {
        match layer {
            Layer::Color { color, at } => {
                let [r, g, b] = color.0;
                args.extend(
                    [
                        "videotestsrc",
                        "num-buffers=1",
                        "pattern=solid-color",
                        &format!("foreground-color=0xff{r:02x}{g:02x}{b:02x}"),
                        "!",
                        &format!(
                            "video/x-raw,format=RGBA,width={},height={}",
                            at.width, at.height
                        ),
                    ]
                    .map(String::from),
                );
            }
            Layer::Picture { path, crop, .. } => {
                let size = picture_size(path)?;
                args.extend(
                    [
                        "filesrc".to_owned(),
                        format!("location={}", gst_quote(&path.to_string_lossy())),
                        "!".into(),
                        "decodebin".into(),
                        "!".into(),
                        "videoconvert".into(),
                        "!".into(),
                        "video/x-raw,format=RGBA".into(),
                        "!".into(),
                        "imagefreeze".into(),
                        "num-buffers=1".into(),
                        "!".into(),
                        "videocrop".into(),
                    ]
                    .into_iter()
                    .chain(crop_margins(*crop, size)),
                );
            }
        }
        args.extend(["!".into(), format!("mix.sink_{i}")]);
    }
    Ok(Command {
        program: "gst-launch-1.0".into(),
        args,
    })
}

/// `videocrop`'s margins for keeping `crop` of a picture of `size`.
fn crop_margins(crop: Rect, size: SourceSize) -> [String; 4] {
    [
        format!("left={}", crop.x),
        format!("top={}", crop.y),
        format!("right={}", size.width().saturating_sub(crop.right())),
        format!("bottom={}", size.height().saturating_sub(crop.bottom())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("plain-1.png"), "plain-1.png");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(gst_quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    #[test]
    fn parts_of_a_covering_picture() {
        // A 200x100 picture over a 400x200 canvas: a tile at (200, 100, 200, 100)
        // shows the picture's bottom-right quarter.
        let whole = Rect::new(0, 0, 400, 200);
        assert_eq!(
            part_of(
                Rect::new(0, 0, 200, 100),
                whole,
                Rect::new(200, 100, 200, 100)
            ),
            Rect::new(100, 50, 100, 50)
        );
    }
}
