//! A layout as a command for the compositors people already run (feature
//! `render`): an ffmpeg `-filter_complex` graph, or a `gst-launch-1.0`
//! pipeline around `compositor`. Both translate the drawing plan
//! ([`crate::plan`]) layer by layer, without labels, so they draw what the
//! preview draws.
//!
//! Arguments are a list, never one shell string, so paths with spaces or
//! quotes are safe; [`Command::shell_line`] quotes them for people to copy.
//! Every path is given so that no program can read it as an option or a
//! protocol (ffmpeg's `file:`, GStreamer's `location=`). Pictures are
//! composed in RGB, so 4:2:0 chroma never bleeds across tile edges, and only
//! local files are named (placeholders and backgrounds resolved as the
//! preview resolves them, [`Inputs::locate`]).
//!
//! Rounded corners and the speaker border are drawn by ffmpeg with alpha
//! masks computed by `geq` expressions (the printed command stays
//! self-contained). GStreamer's `compositor` cannot clip to a curve, so a
//! `gst` export of a job with `corner_radius` fails, naming the option; a
//! square speaker border is four flat bands.

use std::fmt::Write as _;
use std::path::Path;

use crate::color::Rgb;
use crate::error::{Error, JobError, Problem};
use crate::geometry::Rect;
use crate::layout::Layout;
use crate::picture::Inputs;
use crate::plan::{Catalog, Layer, PictureName, Style, covering, plan_into};

/// Most bytes the pictures of a command that is run may take decoded (as
/// RGBA, all together): ffmpeg and GStreamer hold every input at once.
pub const RUN_BUDGET: u64 = 512 * 1024 * 1024;

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
pub type Exporter = fn(&Layout, &Inputs, &Style, &Path) -> Result<Command, Error>;

/// Refuses to run a command whose pictures take more than [`RUN_BUDGET`]
/// decoded.
pub fn check_run_budget(inputs: &Inputs) -> Result<(), Error> {
    let bytes = inputs.decoded_bytes();
    if bytes > RUN_BUDGET {
        return Err(Error::Budget {
            bytes,
            budget: RUN_BUDGET,
        });
    }
    Ok(())
}

/// Quotes `word` for a POSIX shell: as it is when it only has safe
/// characters, else in single quotes.
fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./=:,+@%^".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A path as text for a command: UTF-8, and starting with `/` or `./` so
/// that it is never an option.
fn path_text(path: &Path) -> Result<String, Error> {
    let text = path.to_str().ok_or_else(|| Error::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "is not UTF-8, which a command line cannot carry",
        ),
    })?;
    Ok(if path.is_absolute() || text.starts_with("./") {
        text.to_owned()
    } else {
        format!("./{text}")
    })
}

/// One layer of an exported picture: a flat colour, a cropped picture
/// file, or a layer of the plan as it is (clips and borders).
#[derive(Clone, Debug, PartialEq)]
enum Step<'a> {
    Color {
        color: Rgb,
        at: Rect,
    },
    Picture {
        path: &'a Path,
        crop: Rect,
        at: Rect,
    },
    Plan(Layer),
}

/// The plan of `layout` without labels, as steps naming files.
fn steps<'a>(
    layout: &'a Layout,
    inputs: &'a Inputs,
    style: &Style,
) -> Result<Vec<Step<'a>>, Error> {
    let style = style.without_labels();
    let mut layers = Vec::new();
    let canvas = plan_into(layout, inputs, &style, &mut layers)?;
    let whole = Rect::from_size(canvas);
    // The background image's file, and the part of it that covers the
    // canvas.
    let background = layout.background.image.as_deref().and_then(|r| {
        let info = Catalog::image(inputs, r)?;
        Some((inputs.image(r)?, covering(whole, info.size).0))
    });
    let mut steps = Vec::with_capacity(layers.len());
    for layer in layers {
        match layer {
            Layer::Fill { rect, color } => steps.push(Step::Color { color, at: rect }),
            Layer::Backdrop { rect } => {
                steps.push(Step::Color {
                    color: layout.background.color,
                    at: rect,
                });
                if let Some((path, crop)) = background {
                    // The part of the background image over `rect`.
                    let crop = rect.project(whole, crop);
                    steps.push(Step::Picture {
                        path,
                        crop,
                        at: rect,
                    });
                }
            }
            Layer::Picture { picture, crop, dst } => {
                let path = match picture.name(layout) {
                    Some(PictureName::Source(user_id, stream)) => inputs.source(user_id, stream),
                    Some(PictureName::Image(reference)) => inputs.image(reference),
                    None => None,
                };
                if let Some(path) = path {
                    steps.push(Step::Picture {
                        path,
                        crop,
                        at: dst,
                    });
                }
            }
            Layer::Clip { .. } | Layer::Unclip | Layer::Border { .. } => {
                steps.push(Step::Plan(layer))
            }
            // Exports draw no labels.
            Layer::Label { .. } | Layer::Initials { .. } => {}
        }
    }
    Ok(steps)
}

/// `geq`'s coverage of a `w` x `h` rectangle with corners of radius `r` at
/// `(X - dx, Y - dy)`, 0..=1 (as [`crate::plan::rounded_coverage`]).
fn coverage_expr(dx: u32, dy: u32, w: u32, h: u32, r: u32) -> String {
    let inside = format!("gte(X,{dx})*gte(Y,{dy})*lt(X,{})*lt(Y,{})", dx + w, dy + h);
    if r == 0 {
        return inside;
    }
    format!(
        "{inside}*clip({r}-hypot(X-{dx}+0.5-clip(X-{dx}+0.5,{r},{rw}),Y-{dy}+0.5-clip(Y-{dy}+0.5,{r},{rh}))+0.5,0,1)",
        rw = w - r,
        rh = h - r,
    )
}

/// The ffmpeg command that composes `layout` into one frame at `output`
/// (PNG or JPEG, by its name). An audio-only layout (no canvas) is an
/// error.
///
/// Each picture is converted to RGBA, cropped by its source crop and scaled
/// (bilinear) to its content rectangle; flat colours are `color` sources;
/// everything is overlaid in RGB in drawing order. A rounded tile is
/// composed on its own and overlaid through an alpha mask.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::path::Path;
/// use std::sync::Arc;
/// use mixlayout::plan::Style;
/// use mixlayout::picture::{Inputs, LoadOptions};
/// use mixlayout::{Event, Job, Room};
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "640x360_30_500",
///     "layout_template": "nine_grids_view"}"#)?;
/// let mut room = Room::new(Arc::new(job.clone()));
/// room.apply(&Event::join("u1", None))?;
/// let layout = room.layout();
/// let inputs = Inputs::locate(&job, &[&layout], &LoadOptions::default())?;
/// let command = mixlayout::export::ffmpeg(&layout, &inputs, &Style::for_job(&job), Path::new("out.png"))?;
/// assert_eq!(command.program, "ffmpeg");
/// // Without a source file, u1 is a flat colour filling the canvas.
/// assert!(command.shell_line().contains("color=c="));
/// assert!(command.shell_line().ends_with("file:./out.png"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ffmpeg(
    layout: &Layout,
    inputs: &Inputs,
    style: &Style,
    output: &Path,
) -> Result<Command, Error> {
    let steps = steps(layout, inputs, style)?;
    let mut args: Vec<String> = vec!["-v".into(), "error".into(), "-y".into()];
    let mut graph = String::new();
    let mut files = 0;
    let mut labels = 0;
    let mut label = || {
        labels += 1;
        format!("s{labels}")
    };
    // The picture below, and a rounded tile being composed on its own.
    let mut below = String::new();
    let mut tile: Option<(String, Rect, u32)> = None;
    for step in &steps {
        // A source for this step, where it goes (in the coordinates of what
        // it is overlaid on).
        let (source, at) = match step {
            Step::Color { color, at } => {
                let l = label();
                let _ = write!(
                    graph,
                    "color=c=0x{}:s={}x{}:d=1,format=rgba[{l}];",
                    color.hex(),
                    at.width,
                    at.height
                );
                (l, *at)
            }
            Step::Picture { path, crop, at } => {
                args.extend(["-i".into(), format!("file:{}", path_text(path)?)]);
                let l = label();
                let _ = write!(
                    graph,
                    "[{files}:v]format=rgba,crop={}:{}:{}:{},scale={}:{}:flags=bilinear[{l}];",
                    crop.width, crop.height, crop.x, crop.y, at.width, at.height
                );
                files += 1;
                (l, *at)
            }
            Step::Plan(Layer::Border {
                rect,
                radius,
                width,
                color,
            }) => {
                let l = label();
                let outer = coverage_expr(0, 0, rect.width, rect.height, *radius);
                let inner = coverage_expr(
                    *width,
                    *width,
                    rect.width.saturating_sub(2 * width),
                    rect.height.saturating_sub(2 * width),
                    radius.saturating_sub(*width),
                );
                let color = *color;
                let [r, g, b] = color.0;
                let _ = write!(
                    graph,
                    "color=c=black:s={}x{}:d=1,format=rgba,geq=r={r}:g={g}:b={b}:a='255*({outer}-{inner})'[{l}];",
                    rect.width, rect.height
                );
                (l, *rect)
            }
            Step::Plan(Layer::Clip { rect, radius }) => {
                // The tile starts as what is below it, so that it covers
                // everything where the mask is opaque.
                let l = label();
                let _ = write!(
                    graph,
                    "[{below}]split[{l}a][{l}b];[{l}b]crop={}:{}:{}:{}[{l}];",
                    rect.width, rect.height, rect.x, rect.y
                );
                below = format!("{l}a");
                tile = Some((l, *rect, *radius));
                continue;
            }
            Step::Plan(Layer::Unclip) => {
                let Some((inside, rect, radius)) = tile.take() else {
                    continue;
                };
                let l = label();
                let mask = coverage_expr(0, 0, rect.width, rect.height, radius);
                let _ = write!(
                    graph,
                    "color=c=black:s={}x{}:d=1,format=gray,geq=lum='255*{mask}'[{l}m];[{inside}][{l}m]alphamerge[{l}];",
                    rect.width, rect.height
                );
                (l, rect)
            }
            // `steps` keeps no other layer as it is.
            Step::Plan(_) => continue,
        };
        // Overlay onto the tile being composed, or onto the picture.
        let (onto, origin) = match &mut tile {
            Some((inside, rect, _)) => (inside, (rect.x, rect.y)),
            None => (&mut below, (0, 0)),
        };
        if onto.is_empty() {
            *onto = source;
            continue;
        }
        let l = label();
        let _ = write!(
            graph,
            "[{onto}][{source}]overlay=x={}:y={}:format=rgb:eof_action=repeat[{l}];",
            at.x - origin.0,
            at.y - origin.1
        );
        *onto = l;
    }
    let _ = write!(graph, "[{below}]format=rgb24[out]");
    args.extend([
        "-filter_complex".into(),
        graph,
        "-map".into(),
        "[out]".into(),
        "-frames:v".into(),
        "1".into(),
        "-update".into(),
        "1".into(),
        format!("file:{}", path_text(output)?),
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

/// The `gst-launch-1.0` pipeline that composes `layout` into one frame at
/// `output` (PNG, or JPEG by its name): a `compositor` whose pads place each
/// layer (`xpos`, `ypos`, `width`, `height`, `zorder`), pictures decoded,
/// frozen to one frame and cropped with `videocrop`, colours from
/// `videotestsrc`, all in RGBA. A job with rounded corners is an error
/// naming `layout_options.corner_radius`: `compositor` cannot draw them.
pub fn gstreamer(
    layout: &Layout,
    inputs: &Inputs,
    style: &Style,
    output: &Path,
) -> Result<Command, Error> {
    let mut flat = Vec::new();
    for step in steps(layout, inputs, style)? {
        match step {
            Step::Plan(Layer::Clip { .. } | Layer::Unclip) => {
                return Err(JobError::new(
                    "layout_options.corner_radius",
                    Problem::NotExportable {
                        program: "gst-launch-1.0",
                    },
                )
                .into());
            }
            // Without rounded corners the border is four bands.
            Step::Plan(Layer::Border {
                rect, width, color, ..
            }) => {
                let w = width.min(rect.width / 2).min(rect.height / 2);
                for at in [
                    Rect::new(rect.x, rect.y, rect.width, w),
                    Rect::new(rect.x, rect.bottom() - w, rect.width, w),
                    Rect::from_edges(rect.x, rect.y + w, rect.x + w, rect.bottom() - w),
                    Rect::from_edges(
                        rect.right() - w,
                        rect.y + w,
                        rect.right(),
                        rect.bottom() - w,
                    ),
                ] {
                    if !at.is_empty() {
                        flat.push(Step::Color { color, at });
                    }
                }
            }
            step => flat.push(step),
        }
    }
    let canvas = layout.canvas.unwrap_or_default();
    let mut args: Vec<String> = vec![
        "-q".into(),
        "compositor".into(),
        "name=mix".into(),
        "background=black".into(),
    ];
    for (i, step) in flat.iter().enumerate() {
        let at = match step {
            Step::Color { at, .. } | Step::Picture { at, .. } => at,
            _ => continue,
        };
        args.extend([
            format!("sink_{i}::xpos={}", at.x),
            format!("sink_{i}::ypos={}", at.y),
            format!("sink_{i}::width={}", at.width),
            format!("sink_{i}::height={}", at.height),
            format!("sink_{i}::zorder={i}"),
        ]);
    }
    let jpeg = output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"));
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
        ]
        .map(String::from),
    );
    if jpeg {
        args.extend(["jpegenc".into(), "snapshot=true".into()]);
    } else {
        args.extend([
            "video/x-raw,format=RGB".into(),
            "!".into(),
            "pngenc".into(),
            "snapshot=true".into(),
        ]);
    }
    args.extend(["!".into(), "filesink".into()]);
    args.push(format!("location={}", gst_quote(&path_text(output)?)));
    for (i, step) in flat.iter().enumerate() {
        match step {
            Step::Color { color, at } => {
                args.extend(
                    [
                        "videotestsrc",
                        "num-buffers=1",
                        "pattern=solid-color",
                        &format!("foreground-color=0xff{}", color.hex()),
                        "!",
                        &format!(
                            "video/x-raw,format=RGBA,width={},height={}",
                            at.width, at.height
                        ),
                    ]
                    .map(String::from),
                );
            }
            Step::Picture { path, crop, .. } => {
                let info = crate::picture::picture_info(path)?;
                let (w, h) = (info.size.width(), info.size.height());
                args.extend([
                    "filesrc".to_owned(),
                    format!("location={}", gst_quote(&path_text(path)?)),
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
                    format!("left={}", crop.x),
                    format!("top={}", crop.y),
                    format!("right={}", w.saturating_sub(crop.right())),
                    format!("bottom={}", h.saturating_sub(crop.bottom())),
                ]);
            }
            _ => continue,
        }
        args.extend(["!".into(), format!("mix.sink_{i}")]);
    }
    Ok(Command {
        program: "gst-launch-1.0".into(),
        args,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("plain-1.png"), "plain-1.png");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(gst_quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    #[test]
    fn paths_are_never_options() {
        assert_eq!(path_text(Path::new("-y.png")).unwrap(), "./-y.png");
        assert_eq!(path_text(Path::new("a:b.png")).unwrap(), "./a:b.png");
        assert_eq!(path_text(Path::new("/tmp/x.png")).unwrap(), "/tmp/x.png");
        assert_eq!(path_text(Path::new("./x.png")).unwrap(), "./x.png");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_paths_are_refused() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"bad\xff.png"));
        assert!(
            path_text(path)
                .unwrap_err()
                .to_string()
                .contains("not UTF-8")
        );
    }

    #[test]
    fn coverage_expressions_match_the_plan() {
        // geq's expression, evaluated here the way geq evaluates it.
        let eval = |x: f64, y: f64, w: f64, h: f64, r: f64| -> f64 {
            let cx = (x + 0.5).clamp(r, w - r);
            let cy = (y + 0.5).clamp(r, h - r);
            (r - ((x + 0.5 - cx).powi(2) + (y + 0.5 - cy).powi(2)).sqrt() + 0.5).clamp(0.0, 1.0)
        };
        let expr = coverage_expr(0, 0, 40, 30, 6);
        assert!(expr.contains(
            "clip(6-hypot(X-0+0.5-clip(X-0+0.5,6,34),Y-0+0.5-clip(Y-0+0.5,6,24))+0.5,0,1)"
        ));
        for (x, y) in [(0, 0), (1, 0), (3, 2), (20, 0), (39, 29)] {
            let ours = crate::plan::rounded_coverage(40, 30, 6, x, y);
            let theirs = (eval(f64::from(x), f64::from(y), 40.0, 30.0, 6.0) * 255.0).round() as u8;
            assert_eq!(ours, theirs, "({x}, {y})");
        }
    }
}
