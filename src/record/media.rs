//! The media list of a recording (`MEDIA.json`, §10): which file holds
//! which user's stream, and where it starts on the room's timeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::MapAccess;

use crate::error::{MediaError, Problem};
use crate::json::{Cx, Object, ObjectSeed, Path as JsonPath, Sink, WordOf, read_document};
use crate::limits::{MAX_AT, MAX_MEDIA_BYTES, MAX_MEDIA_FILES, check_name, range_u32};
use crate::source::Stream;

/// One file of a participant's recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaFile {
    /// The user it records.
    pub user_id: Arc<str>,
    /// Their camera (the default) or screen.
    pub stream: Stream,
    /// The file, resolved against the media list's folder.
    pub file: PathBuf,
    /// Where the file's time 0 lands on the room's timeline, in ms.
    pub start: u32,
}

/// The files of a recording.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Media {
    /// In the order of the list.
    pub files: Vec<MediaFile>,
}

impl Media {
    /// Reads a media list: `{"sources": [{"user_id", "stream"?, "file",
    /// "start"}]}`, files relative to `dir`. Every field is checked; an
    /// unknown one is an error naming it.
    ///
    /// ```
    /// use std::path::Path;
    /// use mixlayout::record::Media;
    /// let media = Media::from_json(br#"{"sources": [{"user_id": "u1", "file": "u1.webm", "start": 1500}]}"#,
    ///     Path::new("/rec"))?;
    /// assert_eq!(media.files[0].file, Path::new("/rec/u1.webm"));
    /// let err = Media::from_json(br#"{"sources": [{"user_id": "u1", "file": "a", "start": -1}]}"#, Path::new("."))
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "sources[0].start: -1 is below 0");
    /// # Ok::<(), mixlayout::MediaError>(())
    /// ```
    pub fn from_json(bytes: &[u8], dir: &Path) -> Result<Media, MediaError> {
        let field = |path: String, problem| MediaError::Field { path, problem };
        let size = bytes.len() as u64;
        if size > MAX_MEDIA_BYTES {
            let problem = Problem::TooLarge {
                size,
                max: MAX_MEDIA_BYTES,
            };
            return Err(field(String::new(), problem));
        }
        let sink = Sink::default();
        let root = JsonPath::Root("");
        let cx = Cx {
            at: &root,
            sink: &sink,
        };
        let list = read_document(bytes, ObjectSeed::<List>::new(cx), &sink)
            .map_err(|(path, problem)| field(path, problem))?;
        if list.sources.len() > MAX_MEDIA_FILES {
            let problem = Problem::TooMany {
                count: list.sources.len(),
                max: MAX_MEDIA_FILES,
            };
            return Err(field("sources".into(), problem));
        }
        let files = list
            .sources
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                let at = |name: &str| format!("sources[{i}].{name}");
                let user_id = raw
                    .user_id
                    .ok_or_else(|| field(at("user_id"), Problem::Missing))?;
                check_name(&user_id).map_err(|p| field(at("user_id"), p))?;
                let file = raw
                    .file
                    .ok_or_else(|| field(at("file"), Problem::Missing))?;
                if file.is_empty() {
                    return Err(field(at("file"), Problem::Empty));
                }
                let start = raw
                    .start
                    .ok_or_else(|| field(at("start"), Problem::Missing))?;
                Ok(MediaFile {
                    user_id: user_id.into(),
                    stream: raw.stream.unwrap_or(Stream::Camera),
                    file: dir.join(file),
                    start: range_u32(start, 0, MAX_AT).map_err(|p| field(at("start"), p))?,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Media { files })
    }
}

/// The list as written.
#[derive(Default)]
struct List {
    sources: Vec<Raw>,
}

impl<'de> Object<'de> for List {
    const FIELDS: &'static [&'static str] = &["sources"];

    fn field<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        self.sources = cx.list(map)?;
        Ok(())
    }
}

/// One source as written.
#[derive(Default)]
struct Raw {
    user_id: Option<String>,
    stream: Option<Stream>,
    file: Option<String>,
    start: Option<i64>,
}

impl<'de> Object<'de> for Raw {
    const FIELDS: &'static [&'static str] = &["user_id", "stream", "file", "start"];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        match index {
            0 => self.user_id = Some(cx.value(map)?),
            1 => self.stream = Some(cx.value::<WordOf<_>, _>(map)?.0),
            2 => self.file = Some(cx.value(map)?),
            _ => self.start = Some(cx.value(map)?),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Media::from_json(text.as_bytes(), Path::new("."))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn every_field_is_checked() {
        let media = Media::from_json(
            br#"{"sources": [{"user_id": "u1", "stream": "screen", "file": "s.mp4", "start": 0}]}"#,
            Path::new("d"),
        )
        .unwrap();
        assert_eq!(media.files[0].stream, Stream::Screen);
        assert_eq!(
            err(r#"{"sources": [{"user_id": "u1", "file": "a", "start": 0, "gain": 2}]}"#),
            "sources[0].gain: unknown field"
        );
        assert_eq!(
            err(r#"{"sources": [{"user_id": "u1", "file": "a"}]}"#),
            "sources[0].start: is required"
        );
        assert_eq!(
            err(r#"{"sources": [{"user_id": "u1", "file": "a", "start": 86400001}]}"#),
            "sources[0].start: 86400001 is above 86400000"
        );
        assert_eq!(
            err(r#"{"sources": [{"user_id": "u1", "file": "a", "start": 0, "stream": "mic"}]}"#),
            "sources[0].stream: \"mic\" is not one of camera, screen"
        );
        assert_eq!(err(r#"{"files": []}"#), "files: unknown field");
        assert_eq!(
            err(r#"{"sources": [{"user_id": "", "file": "a", "start": 0}]}"#),
            "sources[0].user_id: 0 bytes long, must be 1..=128"
        );
    }
}
