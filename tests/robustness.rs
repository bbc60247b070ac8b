//! Bad input never panics (issue 8): arbitrary bytes, arbitrary JSON made of
//! the job's and events' own field names with wild values (huge and negative
//! numbers, long strings, deep nesting), and job-shaped documents whose
//! valid ones then drive a room through random events, checking the layout.

use std::sync::Arc;

use mixlayout::{Job, Rect, Room, parse_events};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const KEYS: &[&str] = &[
    "mix_param",
    "layout_options",
    "room_id",
    "encode_template",
    "max_idle_time",
    "layout_template",
    "background_image",
    "default_user_background_image",
    "user_background_images",
    "screen_background_image",
    "layout_panes",
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
    "background_color",
    "placeholder_color",
    "replacement",
    "main",
    "align",
    "max_crop",
    "users",
    "name",
    "screen_width",
    "screen_height",
    "image_uri",
    "stream",
    "type",
    "video",
    "u1",
];

const EVENT_TYPES: &[&str] = &[
    "join",
    "leave",
    "video_off",
    "video_on",
    "resize",
    "screen_start",
    "screen_stop",
];

const WORDS: &[&str] = &[
    "nine_grids_view",
    "screen_share_left",
    "screen_share_right",
    "custom",
    "audio_only",
    "1920x1080_30_4620",
    "640*480_15_500",
    "16x16_1_1",
    "CAMERASTREAM",
    "SCREENSTREAM",
    "KEEP_RATIO_CROP",
    "KEEP_RATIO_PADDING",
    "FIXED_USER",
    "SHARED_SCREEN",
    "shared_screen",
    "camera",
    "screen",
    "compact",
    "fill_vacancy",
    "#AbCdEf",
    "u1",
    "u2",
    "s3://b/x.png",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(-1i64),
            Just(0),
            Just(1),
            Just(8192),
            Just(8193),
            any::<i64>()
        ]
        .prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        prop_oneof![
            Just(0.5f64),
            Just(-0.0),
            Just(1e300),
            Just(-1e-300),
            Just(1.0000001),
            any::<f64>()
        ]
        .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(WORDS).prop_map(|w| json!(w)),
        prop::sample::select(EVENT_TYPES).prop_map(|w| json!(w)),
        "[a-z0-9_ .é\u{7}\u{0}-]{0,40}".prop_map(Value::String),
        (1usize..3000).prop_map(|n| Value::String("x".repeat(n))),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// A mostly valid job whose fields are sometimes replaced by wild values.
fn job_doc() -> impl Strategy<Value = Value> {
    let pane = (1i64..30, 0u8..5, 0u8..5, 1u8..5, 1u8..5, prop::option::of(0usize..3), prop::option::of(value()))
        .prop_map(|(id, x, y, w, h, kind, wild)| {
            let mut p = json!({"id": id, "x": f64::from(x) * 0.2, "y": f64::from(y) * 0.2,
                               "width": f64::from(w.min(5 - x)) * 0.2, "height": f64::from(h.min(5 - y)) * 0.2});
            match kind {
                Some(0) => p["user_id"] = json!("u1"),
                Some(1) => p["filling_policy"] = json!("SHARED_SCREEN"),
                Some(_) => {
                    p["user_id"] = json!("u2");
                    p["video_type"] = json!("SCREENSTREAM");
                }
                None => {}
            }
            if let Some(wild) = wild {
                p["zorder"] = wild;
            }
            p
        });
    (
        prop::sample::select(&["nine_grids_view", "screen_share_left", "screen_share_right", "custom"][..]),
        prop::sample::select(&["1920x1080_30_4620", "640*480_15_500", "16x16_1_1", "1080x1920_30_1000"][..]),
        prop::collection::vec(pane, 0..30),
        prop::option::of((prop::sample::select(KEYS), value())),
        any::<bool>(),
    )
        .prop_map(|(template, encode, panes, wild, compact)| {
            let mut mix = json!({"room_id": "r", "encode_template": encode, "layout_template": template,
                                 "layout_panes": panes});
            let mut options = json!({"replacement": if compact { "compact" } else { "fill_vacancy" },
                                     "users": {"u1": {"name": "Alice", "width": 640, "height": 480}}});
            if let Some((key, v)) = wild {
                if key.len() % 2 == 0 {
                    mix[key] = v;
                } else {
                    options[key] = v;
                }
            }
            json!({"mix_param": mix, "layout_options": options})
        })
}

fn event_doc() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(EVENT_TYPES),
        0u8..40,
        prop::option::of((1i64..3000, 1i64..3000)),
        prop::sample::select(&["camera", "screen"][..]),
    )
        .prop_map(|(kind, user, size, stream)| {
            let mut e = Map::new();
            e.insert("type".into(), json!(kind));
            e.insert("user_id".into(), json!(format!("u{user}")));
            if kind == "resize" {
                e.insert("stream".into(), json!(stream));
            }
            if let Some((w, h)) = size
                .filter(|_| kind != "leave" && kind != "video_off" && kind != "screen_stop")
                .or(if kind == "resize" {
                    Some((10, 10))
                } else {
                    None
                })
            {
                e.insert("width".into(), json!(w));
                e.insert("height".into(), json!(h));
            }
            Value::Object(e)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = Job::from_json(&bytes);
        let _ = parse_events(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(doc in value()) {
        let text = serde_json::to_vec(&doc).unwrap();
        let _ = Job::from_json(&text);
        let _ = parse_events(&text);
        let wrapped = serde_json::to_vec(&json!({"mix_param": doc.clone(), "layout_options": doc})).unwrap();
        let _ = Job::from_json(&wrapped);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash(depth in 100usize..5000) {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        prop_assert!(parse_events(text.as_bytes()).is_err() || depth < 128);
        prop_assert!(Job::from_json(text.as_bytes()).is_err());
    }

    #[test]
    fn valid_jobs_drive_rooms_within_the_canvas(doc in job_doc(), events in prop::collection::vec(event_doc(), 0..120)) {
        let Ok(job) = Job::from_json(&serde_json::to_vec(&doc).unwrap()) else { return Ok(()) };
        let events = parse_events(&serde_json::to_vec(&events).unwrap()).expect("generated events are well-formed");
        let mut room = Room::new(Arc::new(job));
        for event in &events {
            let _ = room.apply(event);
            let layout = room.layout();
            let Some(canvas) = layout.canvas else { continue };
            let whole = Rect::from_size(canvas);
            for tile in &layout.tiles {
                prop_assert!(whole.contains_rect(tile.rect), "{:?}", tile);
                prop_assert!(tile.rect.contains_rect(tile.content), "{:?}", tile);
            }
            prop_assert!(serde_json::to_value(&layout).is_ok());
        }
    }
}

/// Thousands of users and the most panes, in one room.
#[test]
fn thousands_of_users_and_25_panes() {
    let panes: Vec<Value> = (0..25)
        .map(|i| json!({"id": i + 1, "x": f64::from(i % 5) * 0.2, "y": f64::from(i / 5) * 0.2, "width": 0.2, "height": 0.2}))
        .collect();
    let doc = json!({"mix_param": {"room_id": "r", "encode_template": "1280x720_30_1710",
                     "layout_template": "custom", "layout_panes": panes}});
    let mut room = Room::new(Arc::new(
        Job::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap(),
    ));
    let joins: Vec<Value> = (0..5000)
        .map(|i| json!({"type": "join", "user_id": format!("user-{i}")}))
        .collect();
    room.apply_all(&parse_events(&serde_json::to_vec(&joins).unwrap()).unwrap())
        .unwrap();
    let layout = room.layout();
    assert_eq!(layout.tiles.len(), 25);
    assert_eq!(layout.waiting.len(), 5000 - 25);
    let leaves: Vec<Value> = (0..4990)
        .map(|i| json!({"type": "leave", "user_id": format!("user-{i}")}))
        .collect();
    room.apply_all(&parse_events(&serde_json::to_vec(&leaves).unwrap()).unwrap())
        .unwrap();
    assert_eq!(room.len(), 10);
    assert_eq!(room.layout().waiting.len(), 0);
}
