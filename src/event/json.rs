//! Reading the JSON event list of §2, one event at a time: a bad event
//! is named by its index and field, an unknown field is refused at its key
//! before its value is read, and a user id repeated across events is kept
//! once.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Action, Event};
use crate::error::{EventError, JsonKind, Problem, Rejection};
use crate::json::{Cx, Object, ObjectSeed, Path, Sink, WordOf, read_document, wrong_kinds};
use crate::limits::{MAX_AT, MAX_EVENTS, MAX_EVENTS_BYTES, check_name, range_u32, source_size};
use crate::source::Stream;
use crate::words::wire_words;

wire_words! {
    /// The `type` of an event.
    enum Kind {
        Join = "join",
        Leave = "leave",
        VideoOff = "video_off",
        VideoOn = "video_on",
        Resize = "resize",
        ScreenStart = "screen_start",
        ScreenStop = "screen_stop",
        Speaking = "speaking",
    }
}

/// Reads a JSON list of events (§2). Each event is checked on its own
/// (fields, types, sizes, user ids, `at`'s range); whether it fits the room,
/// and whether its `at` comes in order, is for
/// [`Room::apply`](crate::Room::apply) to say.
///
/// ```
/// use mixlayout::{parse_events, Action};
/// let events = parse_events(br#"[{"type": "join", "user_id": "u1"},
///                                {"type": "leave", "user_id": "u1", "at": 4000}]"#)?;
/// assert_eq!(events[1].action, Action::Leave);
/// assert_eq!(events[1].at, Some(4000));
/// let err = parse_events(br#"[{"type": "leave", "user_id": "u1"},
///                             {"type": "join", "user_id": "u2", "width": 640}]"#).unwrap_err();
/// assert_eq!(err.to_string(), "event 1: height: is required when width is given");
/// # Ok::<(), mixlayout::EventError>(())
/// ```
pub fn parse_events(bytes: &[u8]) -> Result<Vec<Event>, EventError> {
    let size = bytes.len() as u64;
    if size > MAX_EVENTS_BYTES {
        let problem = Problem::TooLarge {
            size,
            max: MAX_EVENTS_BYTES,
        };
        return Err(malformed(0, String::new(), problem));
    }
    let sink = Sink::default();
    let root = Path::Root("");
    let mut events = Vec::new();
    let list = List {
        cx: Cx {
            at: &root,
            sink: &sink,
        },
        events: &mut events,
        ids: HashMap::new(),
    };
    match read_document(bytes, list, &sink) {
        Ok(()) => Ok(events),
        Err((field, problem)) => Err(malformed(events.len(), field, problem)),
    }
}

fn malformed(index: usize, field: String, problem: Problem) -> EventError {
    EventError {
        index,
        rejection: Rejection::Malformed { field, problem },
    }
}

/// The list, read element by element into `events`.
struct List<'a, 'p> {
    cx: Cx<'a, 'p>,
    events: &'a mut Vec<Event>,
    /// Each user id once, shared by all its events.
    ids: HashMap<Box<str>, Arc<str>>,
}

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON list of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element_seed(ObjectSeed::<Raw>::new(self.cx))? {
            if self.events.len() >= MAX_EVENTS {
                return Err(self.cx.fail(Problem::TooMany {
                    count: MAX_EVENTS + 1,
                    max: MAX_EVENTS,
                }));
            }
            let event = raw.check(&mut self.ids).map_err(|(field, problem)| {
                let at = Path::Field(self.cx.at, field);
                self.cx.sink.fail(&at, problem)
            })?;
            self.events.push(event);
        }
        Ok(())
    }

    wrong_kinds!(JsonKind::List; bool, numbers, str, unit, map);
}

/// One event as written: every field any type may have.
#[derive(Default)]
struct Raw {
    kind: Option<Kind>,
    user_id: Option<String>,
    at: Option<i64>,
    video: Option<bool>,
    width: Option<i64>,
    height: Option<i64>,
    stream: Option<Stream>,
}

impl<'de> Object<'de> for Raw {
    const FIELDS: &'static [&'static str] = &[
        "type", "user_id", "at", "video", "width", "height", "stream",
    ];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        match index {
            0 => self.kind = Some(cx.value::<WordOf<_>, _>(map)?.0),
            1 => self.user_id = Some(cx.value(map)?),
            2 => self.at = Some(cx.value(map)?),
            3 => self.video = Some(cx.value(map)?),
            4 => self.width = Some(cx.value(map)?),
            5 => self.height = Some(cx.value(map)?),
            _ => self.stream = Some(cx.value::<WordOf<_>, _>(map)?.0),
        }
        Ok(())
    }
}

impl Raw {
    /// The event, or the field that is wrong and why.
    fn check(
        self,
        ids: &mut HashMap<Box<str>, Arc<str>>,
    ) -> Result<Event, (&'static str, Problem)> {
        let kind = self.kind.ok_or(("type", Problem::Missing))?;
        // The fields each type takes beside type, user_id and at.
        let (video, size, stream) = match kind {
            Kind::Join => (true, true, false),
            Kind::VideoOn | Kind::ScreenStart => (false, true, false),
            Kind::Resize => (false, true, true),
            Kind::Leave | Kind::VideoOff | Kind::ScreenStop | Kind::Speaking => {
                (false, false, false)
            }
        };
        let given = [
            ("video", self.video.is_some(), video),
            ("width", self.width.is_some(), size),
            ("height", self.height.is_some(), size),
            ("stream", self.stream.is_some(), stream),
        ];
        if let Some((name, ..)) = given.iter().find(|(_, given, takes)| *given && !takes) {
            return Err((name, Problem::UnknownField));
        }
        let user_id = self.user_id.ok_or(("user_id", Problem::Missing))?;
        check_name(&user_id).map_err(|p| ("user_id", p))?;
        let at = match self.at {
            Some(at) => Some(range_u32(at, 0, MAX_AT).map_err(|p| ("at", p))?),
            None => None,
        };
        let camera = source_size(self.width, self.height)?;
        let action = match kind {
            Kind::Join => Action::Join {
                video: self.video.unwrap_or(true),
                camera,
            },
            Kind::Leave => Action::Leave,
            Kind::VideoOff => Action::VideoOff,
            Kind::VideoOn => Action::VideoOn { camera },
            Kind::Resize => Action::Resize {
                stream: self.stream.ok_or(("stream", Problem::Missing))?,
                size: camera.ok_or(("width", Problem::Missing))?,
            },
            Kind::ScreenStart => Action::ScreenStart { screen: camera },
            Kind::ScreenStop => Action::ScreenStop,
            Kind::Speaking => Action::Speaking,
        };
        let user_id = match ids.get(user_id.as_str()) {
            Some(id) => id.clone(),
            None => {
                let id: Arc<str> = user_id.as_str().into();
                ids.insert(user_id.into_boxed_str(), id.clone());
                id
            }
        };
        Ok(Event {
            at,
            user_id,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceSize;

    fn err(text: &str) -> String {
        parse_events(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn every_type_and_its_fields() {
        let events = parse_events(
            br#"[{"type": "join", "user_id": "u1", "video": false, "width": 640, "height": 480},
                 {"type": "video_on", "user_id": "u1", "at": 10},
                 {"type": "resize", "user_id": "u1", "stream": "camera", "width": 480, "height": 640},
                 {"type": "screen_start", "user_id": "u1"},
                 {"type": "screen_stop", "user_id": "u1"},
                 {"type": "speaking", "user_id": "u1", "at": 20},
                 {"type": "video_off", "user_id": "u1"},
                 {"type": "leave", "user_id": "u1"}]"#,
        )
        .unwrap();
        assert_eq!(events.len(), 8);
        assert_eq!(
            events[0].action,
            Action::Join {
                video: false,
                camera: SourceSize::new(640, 480)
            }
        );
        assert_eq!(events[1].at, Some(10));
        assert_eq!(events[2].at, None);
        assert_eq!(events[5].action, Action::Speaking);
        // One allocation of "u1" for all eight.
        assert!(Arc::ptr_eq(&events[0].user_id, &events[7].user_id));
    }

    #[test]
    fn problems_name_the_event_and_field() {
        assert_eq!(
            err(r#"[{"type": "leave", "user_id": "u1", "width": 3}]"#),
            "event 0: width: unknown field"
        );
        assert_eq!(err(r#"[{"user_id": "u1"}]"#), "event 0: type: is required");
        assert_eq!(
            err(r#"[{"type": "join", "user_id": "u1", "type": "leave"}]"#),
            "event 0: type: is given twice"
        );
        assert_eq!(
            err(r#"[{"type": "wave", "user_id": "u1"}]"#),
            "event 0: type: \"wave\" is not one of join, leave, video_off, video_on, resize, screen_start, screen_stop, speaking"
        );
        assert_eq!(
            err(r#"[{"type": "join", "user_id": "u1", "at": 86400001}]"#),
            "event 0: at: 86400001 is above 86400000"
        );
        assert_eq!(
            err(
                r#"[{"type": "join", "user_id": "u1"}, {"type": "resize", "user_id": "u1", "width": 3, "height": 4}]"#
            ),
            "event 1: stream: is required"
        );
        assert_eq!(
            err(r#"{"type": "join"}"#),
            "event 0: expected a list, found an object"
        );
        assert_eq!(
            err(r#"[{"type": "join", "user_id": "u1", "x\u001b[2J": [1, 2, 3]}]"#),
            r"event 0: x\u{1b}[2J: unknown field"
        );
    }
}
