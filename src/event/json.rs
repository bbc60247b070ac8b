//! Reading the JSON event list of SPEC §2, one event at a time, so that a
//! bad event is named by its index and field and a long list is never held
//! twice in memory.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use super::{Action, Event};
use crate::error::{EventError, Rejection};
use crate::job::{check_name, source_size};
use crate::template::Stream;

/// Most events in one list (SPEC §8).
pub const MAX_EVENTS: usize = 1_000_000;
/// Largest event list document, in bytes (SPEC §8).
pub const MAX_EVENTS_BYTES: u64 = 64 * 1024 * 1024;

/// One event as written.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum RawEvent {
    Join {
        user_id: String,
        #[serde(default)]
        video: Option<bool>,
        #[serde(default)]
        width: Option<i64>,
        #[serde(default)]
        height: Option<i64>,
    },
    Leave {
        user_id: String,
    },
    VideoOff {
        user_id: String,
    },
    VideoOn {
        user_id: String,
        #[serde(default)]
        width: Option<i64>,
        #[serde(default)]
        height: Option<i64>,
    },
    Resize {
        user_id: String,
        stream: String,
        width: i64,
        height: i64,
    },
    ScreenStart {
        user_id: String,
        #[serde(default)]
        width: Option<i64>,
        #[serde(default)]
        height: Option<i64>,
    },
    ScreenStop {
        user_id: String,
    },
}

fn malformed(field: &str, message: impl fmt::Display) -> Rejection {
    Rejection::Malformed {
        field: field.to_owned(),
        message: message.to_string(),
    }
}

impl RawEvent {
    fn check(self) -> Result<Event, Rejection> {
        let size = |w, h| source_size(w, h).map_err(|(field, p)| malformed(field, p));
        let (user_id, action) = match self {
            RawEvent::Join {
                user_id,
                video,
                width,
                height,
            } => (
                user_id,
                Action::Join {
                    video: video.unwrap_or(true),
                    camera: size(width, height)?,
                },
            ),
            RawEvent::Leave { user_id } => (user_id, Action::Leave),
            RawEvent::VideoOff { user_id } => (user_id, Action::VideoOff),
            RawEvent::VideoOn {
                user_id,
                width,
                height,
            } => (
                user_id,
                Action::VideoOn {
                    camera: size(width, height)?,
                },
            ),
            RawEvent::Resize {
                user_id,
                stream,
                width,
                height,
            } => {
                let stream = match stream.as_str() {
                    "camera" => Stream::Camera,
                    "screen" => Stream::Screen,
                    other => {
                        return Err(malformed(
                            "stream",
                            format!("{other:?} is not one of camera, screen"),
                        ));
                    }
                };
                let size = size(Some(width), Some(height))?.expect("both sides given");
                (user_id, Action::Resize { stream, size })
            }
            RawEvent::ScreenStart {
                user_id,
                width,
                height,
            } => (
                user_id,
                Action::ScreenStart {
                    screen: size(width, height)?,
                },
            ),
            RawEvent::ScreenStop { user_id } => (user_id, Action::ScreenStop),
        };
        check_name(&user_id).map_err(|p| malformed("user_id", p))?;
        Ok(Event { user_id, action })
    }
}

/// Reads a JSON list of events (SPEC §2). Each event is checked on its own
/// (fields, types, sizes, user ids); whether it fits the room is for
/// [`Room::apply`](crate::Room::apply) to say.
///
/// ```
/// use mixlayout::{parse_events, Action};
/// let events = parse_events(br#"[{"type": "join", "user_id": "u1"}, {"type": "leave", "user_id": "u1"}]"#)?;
/// assert_eq!(events[1].action, Action::Leave);
/// let err = parse_events(br#"[{"type": "leave", "user_id": "u1"}, {"type": "join", "user_id": "u2", "width": 640}]"#)
///     .unwrap_err();
/// assert_eq!(err.to_string(), "event 1: height: is required when width is given");
/// # Ok::<(), mixlayout::EventError>(())
/// ```
pub fn parse_events(bytes: &[u8]) -> Result<Vec<Event>, EventError> {
    let size = bytes.len() as u64;
    if size > MAX_EVENTS_BYTES {
        return Err(EventError {
            index: 0,
            rejection: malformed(
                "",
                format!("the event list is {size} bytes, at most {MAX_EVENTS_BYTES} allowed"),
            ),
        });
    }
    let mut events = Vec::new();
    let mut failure = None;
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let read = EventList {
        events: &mut events,
        failure: &mut failure,
    }
    .deserialize(&mut reader)
    .and_then(|()| reader.end());
    match (failure, read) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(EventError {
            index: events.len(),
            rejection: malformed("", e),
        }),
        (None, Ok(())) => Ok(events),
    }
}

/// Streams the list: each element is read as a JSON value, checked, and
/// turned into an [`Event`]; the first failure is kept with its index.
struct EventList<'a> {
    events: &'a mut Vec<Event>,
    failure: &'a mut Option<EventError>,
}

impl<'de> DeserializeSeed<'de> for EventList<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EventList<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON list of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            let index = self.events.len();
            let event = if index >= MAX_EVENTS {
                Err(malformed("", format!("more than {MAX_EVENTS} events")))
            } else {
                serde_path_to_error::deserialize::<_, RawEvent>(value)
                    .map_err(|e| {
                        let path = e.path().to_string();
                        malformed(if path == "." { "" } else { &path }, e.into_inner())
                    })
                    .and_then(RawEvent::check)
            };
            match event {
                Ok(event) => self.events.push(event),
                Err(rejection) => {
                    *self.failure = Some(EventError { index, rejection });
                    return Err(de::Error::custom("stopped at a bad event"));
                }
            }
        }
        Ok(())
    }
}
