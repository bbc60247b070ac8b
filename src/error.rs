//! Errors, grouped by whose fault they are: a bad job ([`JobError`]), a bad
//! event ([`EventError`]), a bad picture (`ImageError`, with `render`) or
//! the file system ([`Error::Io`]). Each names where the problem is: the field
//! path of the job, the index of the event, the file.

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
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// An invalid job: where (`path`, e.g. `mix_param.layout_panes[3].x`) and
/// what.
///
/// ```
/// use mixlayout::{JobError, Problem};
/// let e = JobError::new("mix_param.layout_panes[3].x", Problem::Above { value: "1.4".into(), max: "1".into() });
/// assert_eq!(e.to_string(), "mix_param.layout_panes[3].x: 1.4 is above 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{problem}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct JobError {
    /// The field path, from the top of the job document; empty for the
    /// document as a whole.
    pub path: String,
    /// What is wrong there.
    pub problem: Problem,
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

/// What is wrong with a job field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required field is absent.
    #[error("is required")]
    Missing,
    /// The JSON does not parse, or has the wrong type or an unknown field
    /// (serde's own words).
    #[error("{0}")]
    Json(String),
    /// A number below its range.
    #[error("{value} is below {min}")]
    Below {
        /// The value given.
        value: String,
        /// The least value allowed.
        min: String,
    },
    /// A number above its range.
    #[error("{value} is above {max}")]
    Above {
        /// The value given.
        value: String,
        /// The greatest value allowed.
        max: String,
    },
    /// A word that is not one of the allowed ones.
    #[error("{value:?} is not one of {expected}")]
    NotOneOf {
        /// The value given.
        value: String,
        /// The allowed values.
        expected: &'static str,
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
    /// A string with a control character.
    #[error("contains a control character")]
    ControlCharacter,
    /// The same thing given twice.
    #[error("{0:?} is given twice")]
    Duplicate(String),
    /// Too many entries.
    #[error("{count} entries, at most {max} allowed")]
    TooMany {
        /// How many there are.
        count: usize,
        /// How many are allowed.
        max: usize,
    },
    /// The document is larger than SPEC §8 allows.
    #[error("{size} bytes, at most {max} allowed")]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The largest size allowed.
        max: u64,
    },
    /// Any other rule of SPEC §1 or §4.4, in words.
    #[error("{0}")]
    Rule(&'static str),
}

/// A rejected event: its 0-based index in the event list and why.
///
/// ```
/// use mixlayout::{EventError, Rejection};
/// let e = EventError { index: 3, rejection: Rejection::Absent("u9".into()) };
/// assert_eq!(e.to_string(), "event 3: user \"u9\" is not in the room");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("event {index}: {rejection}")]
pub struct EventError {
    /// Position of the event in its list, from 0.
    pub index: usize,
    /// Why it was rejected.
    pub rejection: Rejection,
}

/// Why an event does not fit the room, or is malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// A join of a user who is already present.
    #[error("user {0:?} is already in the room")]
    AlreadyPresent(String),
    /// An event for a user who is not present.
    #[error("user {0:?} is not in the room")]
    Absent(String),
    /// `screen_stop` or a screen `resize` from a user who is not sharing.
    #[error("user {0:?} is not sharing a screen")]
    NotSharing(String),
    /// A join beyond SPEC §8's limit of present users.
    #[error("the room already holds {0} users, the most allowed")]
    RoomFull(usize),
    /// A malformed event: bad JSON, unknown field, bad value. `field` is the
    /// path inside the event (empty for the event as a whole).
    #[error("{}{message}", if field.is_empty() { String::new() } else { format!("{field}: ") })]
    Malformed {
        /// The field path inside the event, e.g. `width`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// A picture that cannot be used for a preview, and its file.
#[cfg(feature = "render")]
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct ImageError {
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
    /// The file is not a PNG or JPEG picture, is broken, or is beyond the
    /// decoding limits of SPEC §8 (8192 x 8192 pixels, 256 MiB decoded).
    #[error("does not decode: {0}")]
    Decode(#[source] image::ImageError),
}
