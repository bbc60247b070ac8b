//! Reading a job from JSON (§1): the whole SparkRTC create-job body, or
//! the bare `mix_param` object, into a [`JobBuilder`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::builder::{MainSpec, Options, PaneSpec, UserSpec};
use super::{Job, JobBuilder, TemplateKind};
use crate::error::{JobError, JsonKind, Problem};
use crate::json::{
    Cx, HasKey, ListSeed, Object, ObjectSeed, Path, Sink, WordOf, read_document, wrong_kinds,
};
use crate::limits::{MAX_JOB_BYTES, MAX_USERS_OPTION};
use crate::source::Stream;

impl Job {
    /// Reads and checks a job document: either the whole SparkRTC body
    /// (`{"mix_param": {...}, "record_param": {...}, "layout_options": {...}}`,
    /// other top-level keys ignored) or the bare `mix_param` object.
    ///
    /// As in SparkRTC, `nine_grids_view` ignores `layout_panes` entirely.
    ///
    /// ```
    /// use mixlayout::Job;
    /// let err = Job::from_json(br#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620",
    ///     "layout_template": "nine_grids_view", "colour": 3}}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "mix_param.colour: unknown field");
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Job, JobError> {
        JobBuilder::from_json(bytes)?.build()
    }
}

impl JobBuilder {
    /// Reads a job document into a builder, checking its JSON (types,
    /// unknown and duplicated keys, words) but not yet its values.
    pub fn from_json(bytes: &[u8]) -> Result<JobBuilder, JobError> {
        let size = bytes.len() as u64;
        if size > MAX_JOB_BYTES {
            let problem = Problem::TooLarge {
                size,
                max: MAX_JOB_BYTES,
            };
            return Err(JobError::new("", problem));
        }
        let error = |(path, problem)| JobError::new(path, problem);
        let sink = Sink::default();
        let top = Path::Root("");
        let cx = Cx {
            at: &top,
            sink: &sink,
        };
        let whole = read_document(
            bytes,
            HasKey {
                key: "mix_param",
                cx,
            },
            &sink,
        )
        .map_err(error)?;
        let root = Path::Root("mix_param");
        let (mix, options) = if whole {
            let seed = Body { cx };
            read_document(bytes, seed, &sink).map_err(error)?
        } else {
            let cx = Cx {
                at: &root,
                sink: &sink,
            };
            let mix = read_document(bytes, ObjectSeed::<Mix>::new(cx), &sink).map_err(error)?;
            (mix, None)
        };
        let mut builder = mix.builder;
        for (name, given) in [
            ("room_id", mix.room_id),
            ("encode_template", mix.encode_template),
        ] {
            if !given {
                return Err(JobError::new(format!("mix_param.{name}"), Problem::Missing));
            }
        }
        if let Some(options) = options {
            builder.options = options.0;
        }
        if let Some(raw) = mix.panes
            && builder.layout_template != Some(TemplateKind::NineGridsView)
        {
            builder.layout_panes = panes(raw, &sink).map_err(error)?;
        }
        Ok(builder)
    }
}

/// `layout_panes`, read once the template is known.
fn panes(raw: &RawValue, sink: &Sink) -> Result<Vec<PaneSpec>, (String, Problem)> {
    let root = Path::Root("mix_param");
    let at = Path::Field(&root, "layout_panes");
    let cx = Cx { at: &at, sink };
    let panes: Vec<Pane> = read_document(raw.get().as_bytes(), ListSeed::new(cx), sink)?;
    panes
        .into_iter()
        .enumerate()
        .map(|(i, pane)| match pane.id {
            true => Ok(pane.spec),
            false => Err((format!("mix_param.layout_panes[{i}].id"), Problem::Missing)),
        })
        .collect()
}

/// The whole create-job body: `mix_param`, `layout_options`, and other keys
/// that are skipped (each at most once).
struct Body<'a, 'p> {
    cx: Cx<'a, 'p>,
}

impl<'de> DeserializeSeed<'de> for Body<'_, '_> {
    type Value = (Mix<'de>, Option<LayoutOptions>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Body<'_, '_> {
    type Value = (Mix<'de>, Option<LayoutOptions>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a job object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut mix, mut options) = (None, None);
        let mut others: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let at = Path::Field(self.cx.at, &key);
            let cx = Cx {
                at: &at,
                sink: self.cx.sink,
            };
            let root = Path::Root(match &*key {
                "mix_param" => "mix_param",
                _ => "layout_options",
            });
            let inner = Cx {
                at: &root,
                sink: self.cx.sink,
            };
            match &*key {
                "mix_param" if mix.is_some() => return Err(cx.fail(Problem::DuplicateKey)),
                "mix_param" => mix = Some(map.next_value_seed(ObjectSeed::<Mix>::new(inner))?),
                "layout_options" if options.is_some() => {
                    return Err(cx.fail(Problem::DuplicateKey));
                }
                "layout_options" => {
                    options = Some(map.next_value_seed(ObjectSeed::<LayoutOptions>::new(inner))?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    if !others.insert(key.clone()) {
                        return Err(cx.fail(Problem::DuplicateKey));
                    }
                }
            }
        }
        // The first pass found `mix_param`.
        Ok((mix.unwrap_or_default(), options))
    }

    wrong_kinds!(JsonKind::Object; bool, numbers, str, unit, seq);
}

/// `mix_param` as written; `layout_panes` kept unread until the template is
/// known.
#[derive(Default)]
struct Mix<'de> {
    builder: JobBuilder,
    room_id: bool,
    encode_template: bool,
    panes: Option<&'de RawValue>,
}

impl<'de> Object<'de> for Mix<'de> {
    const FIELDS: &'static [&'static str] = &[
        "room_id",
        "encode_template",
        "max_idle_time",
        "layout_template",
        "background_image",
        "default_user_background_image",
        "user_background_images",
        "screen_background_image",
        "layout_panes",
    ];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        let b = &mut self.builder;
        match index {
            0 => {
                b.room_id = cx.value(map)?;
                self.room_id = true;
            }
            1 => {
                b.encode_template = cx.value(map)?;
                self.encode_template = true;
            }
            2 => b.max_idle_time = cx.optional(map)?,
            3 => b.layout_template = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            4 => b.background_image = cx.optional(map)?,
            5 => b.default_user_background_image = cx.optional(map)?,
            6 => {
                let entries: Vec<UserImage> = cx.list(map)?;
                b.user_background_images = entries
                    .into_iter()
                    .map(|e| (e.user_id, e.image_uri))
                    .collect();
            }
            7 => b.screen_background_image = cx.optional(map)?,
            _ => self.panes = Some(map.next_value()?),
        }
        Ok(())
    }
}

/// One entry of `user_background_images`.
#[derive(Default)]
struct UserImage {
    user_id: String,
    image_uri: String,
}

impl<'de> Object<'de> for UserImage {
    const FIELDS: &'static [&'static str] = &["user_id", "image_uri"];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        match index {
            0 => self.user_id = cx.value(map)?,
            _ => self.image_uri = cx.value(map)?,
        }
        Ok(())
    }
}

/// One pane, and whether its required `id` was given.
#[derive(Default)]
struct Pane {
    spec: PaneSpec,
    id: bool,
}

impl<'de> Object<'de> for Pane {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "user_id",
        "video_type",
        "x",
        "y",
        "width",
        "height",
        "zorder",
        "crop_mode",
        "filling_policy",
    ];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        let p = &mut self.spec;
        match index {
            0 => {
                p.id = cx.value(map)?;
                self.id = true;
            }
            1 => p.user_id = cx.optional(map)?,
            2 => p.video_type = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            3 => p.x = cx.optional(map)?,
            4 => p.y = cx.optional(map)?,
            5 => p.width = cx.optional(map)?,
            6 => p.height = cx.optional(map)?,
            7 => p.zorder = cx.optional(map)?,
            8 => p.crop_mode = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            _ => p.filling_policy = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
        }
        Ok(())
    }
}

/// `layout_options` as written.
#[derive(Default)]
struct LayoutOptions(Options);

impl<'de> Object<'de> for LayoutOptions {
    const FIELDS: &'static [&'static str] = &[
        "background_color",
        "placeholder_color",
        "replacement",
        "main",
        "align",
        "max_crop",
        "users",
        "padding",
        "gap",
        "grid",
        "last_row",
        "portrait",
        "corner_radius",
        "speaker_border",
        "speaker_priority",
        "reconnect_grace_ms",
    ];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        let o = &mut self.0;
        match index {
            0 => o.background_color = cx.optional(map)?,
            1 => o.placeholder_color = cx.optional(map)?,
            2 => o.replacement = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            3 => o.main = map.next_value_seed(MainSeed { cx })?,
            4 => o.align = cx.optional(map)?,
            5 => o.max_crop = cx.optional(map)?,
            6 => o.users = map.next_value_seed(Users { cx })?,
            7 => o.padding = cx.optional(map)?,
            8 => o.gap = cx.optional(map)?,
            9 => o.grid = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            10 => o.last_row = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            11 => o.portrait = cx.optional::<WordOf<_>, _>(map)?.map(|w| w.0),
            12 => o.corner_radius = cx.optional(map)?,
            13 => {
                let border = map.next_value_seed(Nullable(ObjectSeed::<Border>::new(cx)))?;
                o.speaker_border = match border {
                    None => None,
                    Some(Border {
                        color: Some(color),
                        width: Some(width),
                    }) => Some((color, width)),
                    Some(Border { color, .. }) => {
                        let name = if color.is_none() { "color" } else { "width" };
                        let at = Path::Field(cx.at, name);
                        return Err(cx.sink.fail(&at, Problem::Missing));
                    }
                };
            }
            14 => o.speaker_priority = cx.optional(map)?,
            _ => o.reconnect_grace_ms = cx.optional(map)?,
        }
        Ok(())
    }
}

/// `null`, or what the inner seed reads.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// `speaker_border`: `{"color", "width"}`, both required.
#[derive(Default)]
struct Border {
    color: Option<crate::color::Rgb>,
    width: Option<i64>,
}

impl<'de> Object<'de> for Border {
    const FIELDS: &'static [&'static str] = &["color", "width"];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        match index {
            0 => self.color = Some(cx.value(map)?),
            _ => self.width = Some(cx.value(map)?),
        }
        Ok(())
    }
}

/// `main`: `"shared_screen"` or `{"user_id", "stream"}`.
struct MainSeed<'a, 'p> {
    cx: Cx<'a, 'p>,
}

impl<'de> DeserializeSeed<'de> for MainSeed<'_, '_> {
    type Value = Option<MainSpec>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MainSeed<'_, '_> {
    type Value = Option<MainSpec>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("\"shared_screen\" or {\"user_id\", \"stream\"}")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, word: &str) -> Result<Self::Value, E> {
        if word == "shared_screen" {
            Ok(Some(MainSpec::SharedScreen))
        } else {
            Err(self.cx.fail(Problem::NotOneOf {
                value: word.to_owned(),
                expected: &["shared_screen", "{user_id, stream}"],
            }))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let user = ObjectSeed::<MainUser>::new(self.cx).visit_map(map)?;
        let missing = |name| {
            let at = Path::Field(self.cx.at, name);
            self.cx.sink.fail(&at, Problem::Missing)
        };
        let user_id = user.user_id.ok_or_else(|| missing("user_id"))?;
        let stream = user.stream.ok_or_else(|| missing("stream"))?;
        Ok(Some(MainSpec::User { user_id, stream }))
    }

    wrong_kinds!(JsonKind::Object; bool, numbers, seq);
}

/// `main` naming a user.
#[derive(Default)]
struct MainUser {
    user_id: Option<String>,
    stream: Option<Stream>,
}

impl<'de> Object<'de> for MainUser {
    const FIELDS: &'static [&'static str] = &["user_id", "stream"];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        match index {
            0 => self.user_id = Some(cx.value(map)?),
            _ => self.stream = Some(cx.value::<WordOf<_>, _>(map)?.0),
        }
        Ok(())
    }
}

/// `users`: user ids to what is known of them; each id at most once.
struct Users<'a, 'p> {
    cx: Cx<'a, 'p>,
}

impl<'de> DeserializeSeed<'de> for Users<'_, '_> {
    type Value = Vec<(String, UserSpec)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Users<'_, '_> {
    type Value = Vec<(String, UserSpec)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of users")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut users: Vec<(String, UserSpec)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(id) = map.next_key::<String>()? {
            let at = Path::Field(self.cx.at, &id);
            let cx = Cx {
                at: &at,
                sink: self.cx.sink,
            };
            if users.len() >= MAX_USERS_OPTION {
                let problem = Problem::TooMany {
                    count: users.len() + 1,
                    max: MAX_USERS_OPTION,
                };
                return Err(self.cx.fail(problem));
            }
            if !seen.insert(id.clone()) {
                return Err(cx.fail(Problem::DuplicateKey));
            }
            let user = cx.object::<User, _>(&mut map)?;
            users.push((id, user.0));
        }
        Ok(users)
    }

    wrong_kinds!(JsonKind::Object; bool, numbers, str, unit, seq);
}

/// One entry of `users`.
#[derive(Default)]
struct User(UserSpec);

impl<'de> Object<'de> for User {
    const FIELDS: &'static [&'static str] =
        &["name", "width", "height", "screen_width", "screen_height"];

    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error> {
        let u = &mut self.0;
        match index {
            0 => u.name = cx.optional(map)?,
            1 => u.width = cx.optional(map)?,
            2 => u.height = cx.optional(map)?,
            3 => u.screen_width = cx.optional(map)?,
            _ => u.screen_height = cx.optional(map)?,
        }
        Ok(())
    }
}
