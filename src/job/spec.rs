//! The job as written: SparkRTC's `mix_param` and this project's
//! `layout_options`, field for field, before any check (the first of the two
//! stages; [`crate::Job::from_parts`] is the second).
//!
//! Numbers are kept wide (`i64`, `f64`) and words as strings so that the
//! check can say exactly which value is out of range. With the `serde`
//! feature these types deserialize from JSON and reject unknown fields.

use std::collections::BTreeMap;

/// SparkRTC's `mix_param` object.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MixParam {
    /// `room_id`: 1..=128 bytes.
    pub room_id: String,
    /// `encode_template`: `audio_only` or `W?H_FPS_KBPS`.
    pub encode_template: String,
    /// `max_idle_time` in seconds, 5..=43200 (default 30).
    #[cfg_attr(feature = "serde", serde(default))]
    pub max_idle_time: Option<i64>,
    /// `layout_template`: `nine_grids_view`, `screen_share_left`,
    /// `screen_share_right` or `custom`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub layout_template: Option<String>,
    /// `background_image`: shown over the background colour.
    #[cfg_attr(feature = "serde", serde(default))]
    pub background_image: Option<String>,
    /// `default_user_background_image`: placeholder of users without video.
    #[cfg_attr(feature = "serde", serde(default))]
    pub default_user_background_image: Option<String>,
    /// `user_background_images`: per-user placeholders.
    #[cfg_attr(feature = "serde", serde(default))]
    pub user_background_images: Vec<UserImageParam>,
    /// `screen_background_image`: behind the main window.
    #[cfg_attr(feature = "serde", serde(default))]
    pub screen_background_image: Option<String>,
    /// `layout_panes`: the panes of `custom`, or pane 1 of a screen-share
    /// template. `nine_grids_view` ignores it (the JSON reader skips it).
    #[cfg_attr(feature = "serde", serde(default))]
    pub layout_panes: Vec<PaneParam>,
}

/// One entry of `user_background_images`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct UserImageParam {
    /// The user.
    pub user_id: String,
    /// The user's placeholder image.
    pub image_uri: String,
}

/// One entry of `layout_panes`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PaneParam {
    /// `id`, unique, 1..=2147483647.
    pub id: i64,
    /// `user_id` of a `FIXED_USER` pane.
    #[cfg_attr(feature = "serde", serde(default))]
    pub user_id: Option<String>,
    /// `video_type`: `CAMERASTREAM` (default) or `SCREENSTREAM`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub video_type: Option<String>,
    /// `x`: left edge as a fraction of the canvas width.
    #[cfg_attr(feature = "serde", serde(default))]
    pub x: Option<f64>,
    /// `y`: top edge as a fraction of the canvas height.
    #[cfg_attr(feature = "serde", serde(default))]
    pub y: Option<f64>,
    /// `width` as a fraction of the canvas width.
    #[cfg_attr(feature = "serde", serde(default))]
    pub width: Option<f64>,
    /// `height` as a fraction of the canvas height.
    #[cfg_attr(feature = "serde", serde(default))]
    pub height: Option<f64>,
    /// `zorder`, 0..=25, 0 at the bottom.
    #[cfg_attr(feature = "serde", serde(default))]
    pub zorder: Option<i64>,
    /// `crop_mode`: `KEEP_RATIO_PADDING` or `KEEP_RATIO_CROP` (default).
    #[cfg_attr(feature = "serde", serde(default))]
    pub crop_mode: Option<String>,
    /// `filling_policy`: `FIXED_USER` or `SHARED_SCREEN`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub filling_policy: Option<String>,
}

/// This project's `layout_options`, beside `mix_param`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LayoutOptionsParam {
    /// `background_color`, `#RRGGBB` (default `#000000`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub background_color: Option<String>,
    /// `placeholder_color`, `#RRGGBB` (default `#303030`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub placeholder_color: Option<String>,
    /// `replacement`: `fill_vacancy` (default) or `compact`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub replacement: Option<String>,
    /// `main`: the screen-share main window's source.
    #[cfg_attr(feature = "serde", serde(default))]
    pub main: Option<MainParam>,
    /// `align`: 1 or 2 (default 2).
    #[cfg_attr(feature = "serde", serde(default))]
    pub align: Option<i64>,
    /// `max_crop`: 0..=1 (default 1).
    #[cfg_attr(feature = "serde", serde(default))]
    pub max_crop: Option<f64>,
    /// `users`: facts known ahead of events, by user id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub users: BTreeMap<String, UserParam>,
}

/// `layout_options.main`: `"shared_screen"` or a user's stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MainParam {
    /// A word; only `shared_screen` is valid.
    Word(String),
    /// `{"user_id": ..., "stream": "camera" | "screen"}`.
    User(MainUserParam),
}

/// `layout_options.main` naming a user.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MainUserParam {
    /// The user.
    pub user_id: String,
    /// `camera` or `screen`.
    pub stream: String,
}

/// One entry of `layout_options.users`; every field is optional, sizes come
/// in pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct UserParam {
    /// Display name, used as the tile label.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: Option<String>,
    /// Camera width.
    #[cfg_attr(feature = "serde", serde(default))]
    pub width: Option<i64>,
    /// Camera height.
    #[cfg_attr(feature = "serde", serde(default))]
    pub height: Option<i64>,
    /// Screen width.
    #[cfg_attr(feature = "serde", serde(default))]
    pub screen_width: Option<i64>,
    /// Screen height.
    #[cfg_attr(feature = "serde", serde(default))]
    pub screen_height: Option<i64>,
}

/// A string is a word, an object a user: read by hand so that an error
/// inside the object (an unknown field, a missing stream) is named, where an
/// untagged enum would only say that nothing matched.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for MainParam {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Main;

        impl<'de> serde::de::Visitor<'de> for Main {
            type Value = MainParam;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("\"shared_screen\" or {\"user_id\", \"stream\"}")
            }

            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<MainParam, E> {
                Ok(MainParam::Word(word.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MainParam, A::Error> {
                use serde::Deserialize;
                MainUserParam::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(MainParam::User)
            }
        }

        deserializer.deserialize_any(Main)
    }
}
