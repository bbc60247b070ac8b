//! Errors, grouped by whose fault they are: a bad job ([`JobError`]), a bad
//! event ([`EventError`]), a bad picture (`ImageError`, with `render`), bad
//! media (`MediaError`, with `record`) or the file system ([`Error::Io`]).
//! Each names where the problem is: the field path of the job, the index of
//! the event, the file. Every variant carries typed values, so callers can
//! match on them; the messages are one line each, and text that came from
//! the input is printed with its control characters escaped, so an error
//! can never span lines or command a terminal.

use std::fmt;
use std::path::PathBuf;

/// Any error of the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The job is invalid.
    #[error(transparent)]
    Job(#[from] JobError),
    /// An event was rejected.
    #[error(transparent)]
    Event(#[from] EventError),
    /// A picture could not be used.
    #[cfg(feature = "render")]
    #[error(transparent)]
    Image(#[from] ImageError),
    /// A video frame could not be used.
    #[cfg(feature = "frames")]
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// A recording could not be made.
    #[cfg(feature = "record")]
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The pictures of a command to run take more memory than allowed.
    #[cfg(feature = "render")]
    #[error("the pictures take {} MiB decoded, more than the {} MiB budget of a command that is run", bytes.div_ceil(1 << 20), budget >> 20)]
    Budget {
        /// What they take, in bytes (RGBA).
        bytes: u64,
        /// The budget, in bytes.
        budget: u64,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", Escaped(&path.to_string_lossy()))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Text from the input, printed with control characters escaped (`\n`,
/// `\u{1b}`), so that it stays on one line and is never a terminal command.
///
/// ```
/// use mixlayout::Escaped;
/// assert_eq!(Escaped("bad\nkey\u{1b}[2J").to_string(), r"bad\nkey\u{1b}[2J");
/// assert_eq!(Escaped("Zoë").to_string(), "Zoë");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// An invalid job: where (`path`, e.g. `mix_param.layout_panes[3].x`) and
/// what.
///
/// ```
/// use mixlayout::{JobError, Number, Problem};
/// let e = JobError::new("mix_param.layout_panes[3].x", Problem::Above {
///     value: Number::Float(1.4), max: Number::Int(1) });
/// assert_eq!(e.to_string(), "mix_param.layout_panes[3].x: 1.4 is above 1");
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}{problem}", Located(path))]
pub struct JobError {
    /// The field path, from the top of the job document; empty for the
    /// document as a whole.
    pub path: String,
    /// What is wrong there.
    pub problem: Problem,
}

/// `path: ` with the path escaped, or nothing for an empty path.
struct Located<'a>(&'a str);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "{}: ", Escaped(self.0))
        }
    }
}

impl JobError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, problem: Problem) -> Self {
        JobError {
            path: path.into(),
            problem,
        }
    }
}

/// A number as it was given, for messages: an integer or a fraction.
///
/// ```
/// use mixlayout::Number;
/// assert_eq!(Number::Int(-3).to_string(), "-3");
/// assert_eq!(Number::Float(0.25).to_string(), "0.25");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A whole number.
    Int(i64),
    /// A fraction.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// The kinds of JSON value, for type errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A string.
    String,
    /// A list.
    List,
    /// An object.
    Object,
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Integer => "an integer",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::List => "a list",
            JsonKind::Object => "an object",
        })
    }
}

/// What is wrong with a field of a job, an event or a media list.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required field is absent.
    #[error("is required")]
    Missing,
    /// A field that this object does not have (the path names it).
    #[error("unknown field")]
    UnknownField,
    /// A key given twice in one object (the path names it).
    #[error("is given twice")]
    DuplicateKey,
    /// A value of the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What the field takes.
        expected: JsonKind,
        /// What was given.
        found: JsonKind,
    },
    /// The document is not JSON.
    #[error("invalid JSON at line {line} column {column}")]
    InvalidJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// A number below its range.
    #[error("{value} is below {min}")]
    Below {
        /// The value given.
        value: Number,
        /// The least value allowed.
        min: Number,
    },
    /// A number above its range.
    #[error("{value} is above {max}")]
    Above {
        /// The value given.
        value: Number,
        /// The greatest value allowed.
        max: Number,
    },
    /// A word that is not one of the allowed ones.
    #[error("\"{}\" is not one of {}", Escaped(value), expected.join(", "))]
    NotOneOf {
        /// The value given.
        value: String,
        /// The allowed values.
        expected: &'static [&'static str],
    },
    /// A string of a wrong length.
    #[error("{len} bytes long, must be {min}..={max}")]
    Length {
        /// Its length in bytes.
        len: usize,
        /// The least length allowed.
        min: usize,
        /// The greatest length allowed.
        max: usize,
    },
    /// An empty string where one is required.
    #[error("must not be empty")]
    Empty,
    /// A string with a control character.
    #[error("contains a control character")]
    ControlCharacter,
    /// The same value given twice where each must be unique.
    #[error("\"{}\" is given twice", Escaped(.0))]
    Duplicate(String),
    /// Too many entries.
    #[error("{count} entries, at most {max} allowed")]
    TooMany {
        /// How many there are.
        count: usize,
        /// How many are allowed.
        max: usize,
    },
    /// The document is larger than §8 allows.
    #[error("{size} bytes, at most {max} allowed")]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The largest size allowed.
        max: u64,
    },
    /// A custom template with no panes, or more than 25.
    #[error("custom takes 1..=25 panes, not {0}")]
    PaneCount(usize),
    /// `encode_template` is neither `audio_only` nor `W?H_FPS_KBPS`.
    #[error("must be audio_only or W?H_FPS_KBPS, e.g. 1920x1080_30_4620")]
    EncodeTemplateSyntax,
    /// A canvas side that is odd.
    #[error("{0} is odd; the canvas width and height must be even")]
    OddSide(u32),
    /// Not `#RRGGBB`.
    #[error("must be #RRGGBB")]
    NotAColor,
    /// One of a width and height pair without the other.
    #[error("is required when {given} is given")]
    Unpaired {
        /// The field that was given.
        given: &'static str,
    },
    /// `layout_options.main` and pane 1 of `layout_panes` both set the main
    /// window.
    #[error("the main window is already set by mix_param.layout_panes")]
    MainSetTwice,
    /// A screen-share template with a pane other than pane 1.
    #[error("a screen-share template takes only pane 1")]
    OnlyPaneOne,
    /// `FIXED_USER` without a `user_id`.
    #[error("is required by FIXED_USER")]
    FixedUserWithoutUser,
    /// `SHARED_SCREEN` with a `user_id`.
    #[error("a SHARED_SCREEN pane takes no user_id")]
    SharedScreenWithUser,
    /// A free pane (no `user_id`) with `SCREENSTREAM`.
    #[error("a free pane shows cameras; SCREENSTREAM needs a user_id")]
    FreeScreenPane,
    /// A user's stream pinned by two panes.
    #[error("this user's stream is already pinned by another pane")]
    PinnedTwice,
    /// A pane that reaches past the canvas: `x + width` (or `y + height`)
    /// above 1.
    #[error("the pane ends at {end}, past the canvas edge at 1")]
    PaneBeyondCanvas {
        /// Where the pane ends, as a fraction of the canvas.
        end: f64,
    },
    /// A pane whose pixel rectangle is empty.
    #[error("the pane's pixel rectangle is empty")]
    EmptyPane,
    /// An option that the job's template does not have.
    #[error("{template} does not take this option")]
    NotForTemplate {
        /// The job's `layout_template`.
        template: &'static str,
    },
    /// A pixel length that is not a multiple of `align`.
    #[error("{value} is not a multiple of align {align}")]
    NotMultipleOfAlign {
        /// The value given.
        value: u32,
        /// The job's alignment.
        align: u32,
    },
    /// Padding and gaps leave a split narrower than `align` pixels a part.
    #[error(
        "leaves {inner} pixels for {parts} parts of a {length}-pixel side, less than {align} a part"
    )]
    TooNarrow {
        /// The side being split.
        length: u32,
        /// How many parts.
        parts: u32,
        /// What padding and gaps leave of it (negative: less than nothing).
        inner: i64,
        /// The least width of a part.
        align: u32,
    },
    /// An option that an export's program cannot draw.
    #[error("{program} cannot draw this option; use the ffmpeg export or the preview")]
    NotExportable {
        /// The program.
        program: &'static str,
    },
    /// A picture was asked of an `audio_only` job.
    #[error("audio_only has no picture to draw")]
    NoCanvas,
}

/// A rejected event: its 0-based index in the event list and why.
///
/// ```
/// use mixlayout::{EventError, Rejection};
/// let e = EventError { index: 3, rejection: Rejection::Absent("u9".into()) };
/// assert_eq!(e.to_string(), "event 3: user \"u9\" is not in the room");
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("event {index}: {rejection}")]
pub struct EventError {
    /// Position of the event in its list, from 0.
    pub index: usize,
    /// Why it was rejected.
    pub rejection: Rejection,
}

/// Why an event does not fit the room, or is malformed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// A join of a user who is already present.
    #[error("user \"{}\" is already in the room", Escaped(.0))]
    AlreadyPresent(String),
    /// An event for a user who is not present.
    #[error("user \"{}\" is not in the room", Escaped(.0))]
    Absent(String),
    /// `screen_stop` or a screen `resize` from a user who is not sharing.
    #[error("user \"{}\" is not sharing a screen", Escaped(.0))]
    NotSharing(String),
    /// A join beyond §8's limit of present users.
    #[error("the room already holds {0} users, the most allowed")]
    RoomFull(usize),
    /// An event whose `at` is below the previous event's.
    #[error("at {at} is before the previous event's {previous}")]
    BeforePrevious {
        /// The event's `at`.
        at: u32,
        /// The `at` of the event before it.
        previous: u32,
    },
    /// A malformed event: bad JSON, unknown field, bad value. `field` is the
    /// path inside the event (empty for the event as a whole).
    #[error("{}{problem}", Located(field))]
    Malformed {
        /// The field path inside the event, e.g. `width`.
        field: String,
        /// What is wrong.
        problem: Problem,
    },
}

impl Rejection {
    /// True for a malformed event (bad JSON, unknown field or type), which
    /// `--lenient` does not skip; false for an event that only does not fit
    /// the room or comes too early.
    pub fn is_malformed(&self) -> bool {
        matches!(self, Rejection::Malformed { .. })
    }
}

/// A picture that cannot be used: the job field that names it (for the
/// job's images), its file, and what is wrong.
#[cfg(feature = "render")]
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {problem}", Located(field.as_deref().unwrap_or("")), Escaped(&path.to_string_lossy()))]
pub struct ImageError {
    /// The job field that names the picture, e.g. `mix_param.background_image`.
    pub field: Option<String>,
    /// The picture's file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub problem: ImageProblem,
}

/// What is wrong with a picture.
#[cfg(feature = "render")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageProblem {
    /// The file cannot be opened or read (it may not exist).
    #[error("cannot be read: {0}")]
    Read(#[source] std::io::Error),
    /// The path is not a regular file.
    #[error("is {0}, not a regular file")]
    NotAFile(FileKind),
    /// The file is not a PNG or JPEG picture, is broken, or is beyond the
    /// decoding limits of §8 (8192 x 8192 pixels, 256 MiB decoded).
    #[error("does not decode: {0}")]
    Decode(#[source] image::ImageError),
    /// The file does not exist.
    #[error("does not exist")]
    Missing,
}

/// What a path that is not a regular file is.
#[cfg(feature = "render")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A folder.
    Directory,
    /// A named pipe.
    Fifo,
    /// A device, a socket or anything else.
    Special,
}

#[cfg(feature = "render")]
impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Directory => "a folder",
            FileKind::Fifo => "a named pipe",
            FileKind::Special => "a special file",
        })
    }
}

/// A frame that cannot be used.
#[cfg(feature = "frames")]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Width or height odd, 0, or above 8192.
    #[error("a frame of {width}x{height}: width and height must be even and in 2..=8192")]
    Size {
        /// The width given.
        width: u32,
        /// The height given.
        height: u32,
    },
    /// A plane's stride smaller than its width.
    #[error("plane {plane}: stride {stride} is less than its width {width}")]
    Stride {
        /// 0 (Y), 1 (Cb) or 2 (Cr).
        plane: usize,
        /// The stride given.
        stride: usize,
        /// The plane's width.
        width: u32,
    },
    /// A plane shorter than its stride times its height.
    #[error("plane {plane}: {len} bytes, less than {needed} (stride times height)")]
    Short {
        /// 0 (Y), 1 (Cb) or 2 (Cr).
        plane: usize,
        /// Its length.
        len: usize,
        /// What its stride and height need.
        needed: usize,
    },
    /// An output frame whose size is not the canvas's.
    #[error(
        "the output frame is {}x{}, the canvas {}x{}",
        got.width, got.height, canvas.width, canvas.height
    )]
    Canvas {
        /// The frame's size.
        got: crate::geometry::Size,
        /// The canvas's.
        canvas: crate::geometry::Size,
    },
}

/// Why a recording could not be made (§10): a bad media list, a file
/// that ffmpeg cannot read, a program that fails or is missing.
#[cfg(feature = "record")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// A field of the media list (`MEDIA.json`): its path, e.g.
    /// `sources[3].start`, and what is wrong.
    #[error("{}{problem}", Located(path))]
    Field {
        /// The field path inside the media list.
        path: String,
        /// What is wrong there.
        problem: Problem,
    },
    /// Two files of one user's stream cover the same time.
    #[error("{} and {} overlap in time", Escaped(&first.to_string_lossy()), Escaped(&second.to_string_lossy()))]
    Overlap {
        /// The earlier file.
        first: PathBuf,
        /// The file that starts before the earlier one ends.
        second: PathBuf,
    },
    /// A file that ffmpeg cannot read, as `ffprobe` says, or that is not
    /// a regular file.
    #[error("{}: {}", Escaped(&file.to_string_lossy()), Escaped(message))]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What is wrong: what `ffprobe` said (its first line), or why the
        /// file was not given to it.
        message: String,
    },
    /// A program that the recording needs is not installed.
    #[error("{} is not installed (or not on PATH): the recording needs it", Escaped(&program.to_string_lossy()))]
    Missing {
        /// `ffmpeg` or `ffprobe`, as the options name it.
        program: PathBuf,
    },
    /// A child process failed: which one, on which file, and what it said.
    #[error("{role} of {}: {}", Escaped(&file.to_string_lossy()), Escaped(message))]
    Failed {
        /// `decoder` or `encoder`.
        role: &'static str,
        /// The file it read or wrote.
        file: PathBuf,
        /// Its first line of errors, or its exit status.
        message: String,
    },
    /// The recording would end past 24 hours.
    #[error("the recording would end at {end} ms, past 24 hours")]
    TooLong {
        /// Where it would end.
        end: u64,
    },
    /// The recording was stopped (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
}
