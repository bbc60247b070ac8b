//! The limits of §8, and the checks of ids, names, numbers and sizes
//! that jobs, events and media lists share. Beyond a limit the library
//! returns an error; it never panics, aborts or allocates without bound.

use crate::error::{Number, Problem};
use crate::source::SourceSize;

/// Longest user id, user name or room id, in bytes.
pub const MAX_NAME_BYTES: usize = 128;
/// Most users present in one room at once.
pub const MAX_PRESENT_USERS: usize = 10_000;
/// Most entries of `layout_options.users`.
pub const MAX_USERS_OPTION: usize = 10_000;
/// Largest job document, in bytes.
pub const MAX_JOB_BYTES: u64 = 16 * 1024 * 1024;
/// Largest event list document, in bytes.
pub const MAX_EVENTS_BYTES: u64 = 64 * 1024 * 1024;
/// Most events in one list.
pub const MAX_EVENTS: usize = 1_000_000;
/// Latest `at` of an event and `start` of a media file, in ms (24 hours).
pub const MAX_AT: u32 = 86_400_000;
/// Latest instant that `--at` and `--until` may name, in ms: the latest end
/// of a hold (`MAX_AT` plus the longest reconnect grace).
pub const MAX_INSTANT: u32 = MAX_AT + MAX_RECONNECT_GRACE_MS;
/// Longest `layout_options.reconnect_grace_ms`.
pub const MAX_RECONNECT_GRACE_MS: u32 = 600_000;
/// Most panes of a custom template.
pub const MAX_PANES: usize = 25;
/// Largest side of a decoded picture.
pub const MAX_PICTURE_SIDE: u32 = 8192;
/// Largest decoded buffer of one picture, in bytes.
pub const MAX_PICTURE_BYTES: u64 = 256 * 1024 * 1024;
/// Most files in a media list (`MEDIA.json`).
pub const MAX_MEDIA_FILES: usize = 1_000;
/// Largest media list document, in bytes.
pub const MAX_MEDIA_BYTES: u64 = 1024 * 1024;

/// `value` if it lies in `min..=max`.
pub(crate) fn range(value: i64, min: i64, max: i64) -> Result<i64, Problem> {
    if value < min {
        Err(Problem::Below {
            value: Number::Int(value),
            min: Number::Int(min),
        })
    } else if value > max {
        Err(Problem::Above {
            value: Number::Int(value),
            max: Number::Int(max),
        })
    } else {
        Ok(value)
    }
}

/// `value` in `min..=max` as a `u32` (the bounds are `u32`).
pub(crate) fn range_u32(value: i64, min: u32, max: u32) -> Result<u32, Problem> {
    range(value, i64::from(min), i64::from(max)).map(|v| v as u32)
}

/// A user id or name: 1..=128 bytes, no control characters.
pub(crate) fn check_name(text: &str) -> Result<(), Problem> {
    check_length(text)?;
    if text.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter);
    }
    Ok(())
}

/// 1..=128 bytes (a room id is bounded by length only).
pub(crate) fn check_length(text: &str) -> Result<(), Problem> {
    if text.is_empty() || text.len() > MAX_NAME_BYTES {
        return Err(Problem::Length {
            len: text.len(),
            min: 1,
            max: MAX_NAME_BYTES,
        });
    }
    Ok(())
}

/// A source size given as two optional numbers: both or neither, each in
/// 1..=8192. On error, the field that is wrong (`"width"` or `"height"`).
pub(crate) fn source_size(
    width: Option<i64>,
    height: Option<i64>,
) -> Result<Option<SourceSize>, (&'static str, Problem)> {
    match (width, height) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(("height", Problem::Unpaired { given: "width" })),
        (None, Some(_)) => Err(("width", Problem::Unpaired { given: "height" })),
        (Some(w), Some(h)) => {
            let w = range_u32(w, 1, SourceSize::MAX_SIDE).map_err(|p| ("width", p))?;
            let h = range_u32(h, 1, SourceSize::MAX_SIDE).map_err(|p| ("height", p))?;
            Ok(SourceSize::new(w, h))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name("u1").is_ok());
        assert_eq!(
            check_name(""),
            Err(Problem::Length {
                len: 0,
                min: 1,
                max: 128
            })
        );
        assert!(check_name(&"x".repeat(128)).is_ok());
        assert!(check_name(&"x".repeat(129)).is_err());
        assert_eq!(check_name("a\tb"), Err(Problem::ControlCharacter));
        // A room id may hold control characters: only its length counts.
        assert!(check_length("a\tb").is_ok());
    }

    #[test]
    fn sizes_come_in_pairs() {
        assert_eq!(source_size(None, None), Ok(None));
        assert_eq!(
            source_size(Some(640), None),
            Err(("height", Problem::Unpaired { given: "width" }))
        );
        assert!(matches!(
            source_size(Some(0), Some(5)),
            Err(("width", Problem::Below { .. }))
        ));
        assert_eq!(
            source_size(Some(640), Some(480)),
            Ok(SourceSize::new(640, 480))
        );
    }
}
