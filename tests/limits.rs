//! Every limit of SPEC §8 (and the ranges of §1 and §2), just inside and
//! just outside: inside works, outside is a typed error naming the field,
//! never a panic.

use std::sync::Arc;

use mixlayout::{Action, Event, Job, Rejection, Room, parse_events};

fn job(mix: &str, options: &str) -> Result<Job, mixlayout::JobError> {
    let text =
        format!(r#"{{"mix_param": {{"room_id": "r", {mix}}}, "layout_options": {{{options}}}}}"#);
    Job::from_json(text.as_bytes())
}

fn grid(encode: &str) -> Result<Job, mixlayout::JobError> {
    job(
        &format!(r#""encode_template": "{encode}", "layout_template": "nine_grids_view""#),
        "",
    )
}

fn err(result: Result<Job, mixlayout::JobError>) -> String {
    result.expect_err("outside a limit").to_string()
}

#[test]
fn canvas_sides_are_16_to_8192_and_even() {
    assert!(grid("16x16_30_500").is_ok());
    assert!(grid("8192x8192_30_500").is_ok());
    assert_eq!(
        err(grid("14x16_30_500")),
        "mix_param.encode_template: 14 is below 16"
    );
    assert_eq!(
        err(grid("8194x16_30_500")),
        "mix_param.encode_template: 8194 is above 8192"
    );
    assert!(err(grid("17x16_30_500")).contains("even"));
    assert!(grid("640x480_120_100000").is_ok());
    assert!(err(grid("640x480_121_500")).contains("121 is above 120"));
    assert!(err(grid("640x480_0_500")).contains("0 is below 1"));
    assert!(err(grid("640x480_30_100001")).contains("100001 is above 100000"));
    for bad in [
        "640x480",
        "640x480_30",
        "640x480_30_500_1",
        "640X480_30_500",
        "+640x480_30_500",
        "640x0480_30_500",
    ] {
        assert!(grid(bad).is_err(), "{bad}");
    }
    // Far too many digits is an error, not an overflow.
    assert!(grid("99999999999999999999x480_30_500").is_err());
}

#[test]
fn ids_and_names_are_1_to_128_bytes_without_control_characters() {
    let at_limit = "a".repeat(128);
    let over = "a".repeat(129);
    let name = |n: &str| {
        job(
            r#""encode_template": "640x480_15_500", "layout_template": "nine_grids_view""#,
            &format!(r#""users": {{"u1": {{"name": "{n}"}}}}"#),
        )
    };
    assert!(name(&at_limit).is_ok());
    assert_eq!(
        err(name(&over)),
        "layout_options.users.u1.name: 129 bytes long, must be 1..=128"
    );
    assert!(err(name("")).contains("0 bytes long"));
    assert!(err(name("a\\u0007b")).contains("control character"));
    // Multi-byte characters count in bytes: 64 two-byte letters is 128.
    assert!(name(&"é".repeat(64)).is_ok());
    assert!(name(&"é".repeat(65)).is_err());

    let room_id = |id: &str| {
        Job::from_json(
            format!(r#"{{"room_id": "{id}", "encode_template": "audio_only"}}"#).as_bytes(),
        )
    };
    assert!(room_id(&at_limit).is_ok());
    assert!(
        room_id(&over)
            .unwrap_err()
            .to_string()
            .starts_with("mix_param.room_id:")
    );

    let mut room = Room::new(Arc::new(grid("640x480_15_500").unwrap()));
    let join = |id: &str| Event::join(id, None);
    assert!(room.apply(&join(&at_limit)).is_ok());
    assert!(matches!(
        room.apply(&join(&over)),
        Err(Rejection::Malformed { .. })
    ));
    assert!(matches!(
        room.apply(&join("a\nb")),
        Err(Rejection::Malformed { .. })
    ));
    let parsed = parse_events(format!(r#"[{{"type": "join", "user_id": "{over}"}}]"#).as_bytes());
    assert_eq!(
        parsed.unwrap_err().to_string(),
        "event 0: user_id: 129 bytes long, must be 1..=128"
    );
}

#[test]
fn at_most_10000_present_users() {
    let mut room = Room::new(Arc::new(grid("640x480_15_500").unwrap()));
    for i in 0..10_000 {
        room.apply(&Event::join(format!("u{i}"), None)).unwrap();
    }
    assert_eq!(room.waiting().count(), 10_000 - 25);
    let extra = Event::join("one-more", None);
    assert_eq!(room.apply(&extra), Err(Rejection::RoomFull(10_000)));
    room.apply(&Event::new("u0", Action::Leave)).unwrap();
    assert!(room.apply(&extra).is_ok());
    assert_eq!(room.layout().waiting.len(), 10_000 - 25);
}

#[test]
fn at_most_10000_entries_in_users() {
    let users = |n: usize| {
        let entries: Vec<String> = (0..n).map(|i| format!(r#""u{i}": {{}}"#)).collect();
        job(
            r#""encode_template": "640x480_15_500", "layout_template": "nine_grids_view""#,
            &format!(r#""users": {{{}}}"#, entries.join(",")),
        )
    };
    assert!(users(10_000).is_ok());
    assert_eq!(
        err(users(10_001)),
        "layout_options.users: 10001 entries, at most 10000 allowed"
    );
}

#[test]
fn source_sizes_are_1_to_8192_and_come_in_pairs() {
    let user = |fields: &str| {
        job(
            r#""encode_template": "640x480_15_500", "layout_template": "nine_grids_view""#,
            &format!(r#""users": {{"u1": {{{fields}}}}}"#),
        )
    };
    assert!(user(r#""width": 1, "height": 8192"#).is_ok());
    assert_eq!(
        err(user(r#""width": 0, "height": 8"#)),
        "layout_options.users.u1.width: 0 is below 1"
    );
    assert_eq!(
        err(user(r#""width": 8, "height": 8193"#)),
        "layout_options.users.u1.height: 8193 is above 8192"
    );
    assert!(err(user(r#""width": 8"#)).contains("height: is required when width is given"));
    assert!(
        err(user(r#""screen_width": -3, "screen_height": 8"#))
            .contains("screen_width: -3 is below 1")
    );
    let event = |e: &str| {
        parse_events(format!("[{e}]").as_bytes())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert!(
        event(r#"{"type": "screen_start", "user_id": "a", "width": 8192, "height": 1}"#).is_ok()
    );
    assert_eq!(
        event(r#"{"type": "video_on", "user_id": "a", "width": 8193, "height": 1}"#).unwrap_err(),
        "event 0: width: 8193 is above 8192"
    );
    assert!(
        event(r#"{"type": "resize", "user_id": "a", "stream": "camera", "width": 5}"#).is_err()
    );
}

#[test]
fn job_documents_are_at_most_16_mib() {
    let body = br#"{"room_id": "r", "encode_template": "audio_only"}"#;
    let limit = 16 * 1024 * 1024;
    let mut padded = body.to_vec();
    padded.resize(limit, b' ');
    assert!(Job::from_json(&padded).is_ok());
    padded.push(b' ');
    assert_eq!(
        Job::from_json(&padded).unwrap_err().to_string(),
        format!("{} bytes, at most {limit} allowed", limit + 1)
    );
}

#[test]
fn event_lists_are_at_most_64_mib_and_a_million_events() {
    let limit = 64 * 1024 * 1024;
    let mut padded = b"[]".to_vec();
    padded.resize(limit, b' ');
    assert!(parse_events(&padded).unwrap().is_empty());
    padded.push(b' ');
    assert!(
        parse_events(&padded)
            .unwrap_err()
            .to_string()
            .contains("at most 67108864 allowed")
    );

    let one = br#"{"type":"leave","user_id":"u"},"#;
    let mut list = Vec::with_capacity(one.len() * 1_000_001 + 2);
    list.push(b'[');
    for _ in 0..1_000_000 {
        list.extend_from_slice(one);
    }
    list.pop();
    list.push(b']');
    assert_eq!(parse_events(&list).unwrap().len(), 1_000_000);
    list.pop();
    list.extend_from_slice(b",");
    list.extend_from_slice(&one[..one.len() - 1]);
    list.push(b']');
    assert_eq!(
        parse_events(&list).unwrap_err().to_string(),
        "event 1000000: 1000001 entries, at most 1000000 allowed"
    );
}

#[test]
fn unknown_fields_are_named_at_every_level() {
    let base = r#""encode_template": "640x480_15_500", "layout_template": "custom", "layout_panes": [{"id": 1, "x": 0, "y": 0, "width": 1, "height": 1}]"#;
    assert!(job(base, "").is_ok());
    let cases = [
        (
            format!(r#"{base}, "extra": 1"#),
            String::new(),
            "mix_param.extra: unknown field",
        ),
        (
            base.replace(r#""height": 1}"#, r#""height": 1, "colour": 2}"#),
            String::new(),
            "mix_param.layout_panes[0].colour: unknown field",
        ),
        (
            base.to_owned(),
            r#""colour": 1"#.to_owned(),
            "layout_options.colour: unknown field",
        ),
        (
            base.to_owned(),
            r#""users": {"u1": {"nick": "x"}}"#.to_owned(),
            "layout_options.users.u1.nick: unknown field",
        ),
        (
            format!(
                r#"{base}, "user_background_images": [{{"user_id": "a", "image_uri": "x.png", "size": 1}}]"#
            ),
            String::new(),
            "mix_param.user_background_images[0].size: unknown field",
        ),
    ];
    for (mix, options, start) in cases {
        let e = err(job(&mix, &options));
        assert!(e.starts_with(start), "{e:?} should start with {start:?}");
    }
    // A bare mix_param has no layout_options.
    let bare = r#"{"room_id": "r", "encode_template": "audio_only", "layout_options": {}}"#;
    assert!(
        Job::from_json(bare.as_bytes())
            .unwrap_err()
            .to_string()
            .starts_with("mix_param.layout_options: unknown field")
    );
    // Other top-level keys of the whole body are SparkRTC's and ignored.
    let whole = r#"{"mix_param": {"room_id": "r", "encode_template": "audio_only"}, "record_param": {"x": 1}, "app_id": 3}"#;
    assert!(Job::from_json(whole.as_bytes()).is_ok());
}

#[test]
fn main_window_errors_are_named() {
    let share = r#""encode_template": "640x480_15_500", "layout_template": "screen_share_left""#;
    assert!(job(share, r#""main": "shared_screen""#).is_ok());
    assert!(job(share, r#""main": {"user_id": "u1", "stream": "screen"}"#).is_ok());
    assert!(
        err(job(share, r#""main": "everyone""#))
            .starts_with("layout_options.main: \"everyone\" is not one of")
    );
    assert!(
        err(job(
            share,
            r#""main": {"user_id": "u1", "stream": "screen", "x": 1}"#
        ))
        .starts_with("layout_options.main.x: unknown field")
    );
    assert_eq!(
        err(job(share, r#""main": {"user_id": "u1"}"#)),
        "layout_options.main.stream: is required"
    );
    assert!(
        err(job(share, r#""main": {"user_id": "u1", "stream": "mic"}"#))
            .starts_with("layout_options.main.stream:")
    );
    assert_eq!(
        err(job(share, r#""main": 3"#)),
        "layout_options.main: expected an object, found an integer"
    );
    let grid = r#""encode_template": "640x480_15_500", "layout_template": "nine_grids_view""#;
    assert!(
        err(job(grid, r#""main": "shared_screen""#))
            .starts_with("layout_options.main: nine_grids_view does not take this option")
    );
    // nine_grids_view ignores layout_panes entirely, whatever they hold.
    assert!(job(&format!(r#"{grid}, "layout_panes": "anything""#), "").is_ok());
}

#[test]
fn option_ranges() {
    let grid = r#""encode_template": "640x480_15_500", "layout_template": "nine_grids_view""#;
    assert!(job(grid, r#""align": 1, "max_crop": 0"#).is_ok());
    assert_eq!(
        err(job(grid, r#""align": 3"#)),
        "layout_options.align: 3 is above 2"
    );
    assert_eq!(
        err(job(grid, r#""max_crop": 1.5"#)),
        "layout_options.max_crop: 1.5 is above 1"
    );
    assert_eq!(
        err(job(grid, r#""max_crop": -0.1"#)),
        "layout_options.max_crop: -0.1 is below 0"
    );
    assert!(
        err(job(grid, r##""background_color": "#12345""##))
            .starts_with("layout_options.background_color:")
    );
    assert!(
        err(job(grid, r#""replacement": "shuffle""#)).starts_with("layout_options.replacement:")
    );
    let idle = |t: &str| job(&format!(r#"{grid}, "max_idle_time": {t}"#), "");
    assert!(idle("5").is_ok() && idle("43200").is_ok());
    assert_eq!(err(idle("4")), "mix_param.max_idle_time: 4 is below 5");
    assert_eq!(
        err(idle("43201")),
        "mix_param.max_idle_time: 43201 is above 43200"
    );
    assert_eq!(
        err(idle("1e3")),
        "mix_param.max_idle_time: expected an integer, found a number"
    );
    // Beyond 64 bits JSON numbers are fractions.
    assert_eq!(
        err(idle("99999999999999999999")),
        "mix_param.max_idle_time: expected an integer, found a number"
    );
    assert_eq!(
        err(idle("18446744073709551615")),
        "mix_param.max_idle_time: 9223372036854775807 is above 43200"
    );
}

#[test]
fn sparkrtc_presets_parse_as_written() {
    let presets = [
        ("1920*1080_30_4620", 1920, 1080, 30, 4620),
        ("1920*1080_30_3150", 1920, 1080, 30, 3150),
        ("1920*1080_15_3460", 1920, 1080, 15, 3460),
        ("1920*1080_15_2080", 1920, 1080, 15, 2080),
        ("1280*720_30_3420", 1280, 720, 30, 3420),
        ("1280*720_30_1710", 1280, 720, 30, 1710),
        ("1280*720_15_2260", 1280, 720, 15, 2260),
        ("1280*720_15_1130", 1280, 720, 15, 1130),
        ("640*480_30_1500", 640, 480, 30, 1500),
        ("640*480_15_500", 640, 480, 15, 500),
        ("640*480_30_1000", 640, 480, 30, 1000),
        ("480*360_30_490", 480, 360, 30, 490),
        ("480*360_15_320", 480, 360, 15, 320),
    ];
    for (text, w, h, fps, kbps) in presets {
        let expected = mixlayout::EncodeTemplate::Video {
            canvas: mixlayout::Size::new(w, h),
            fps,
            kbps,
        };
        assert_eq!(
            mixlayout::EncodeTemplate::parse(text),
            Ok(expected),
            "{text}"
        );
        // The seed writes them with x as well.
        assert_eq!(
            mixlayout::EncodeTemplate::parse(&text.replace('*', "x")),
            Ok(expected)
        );
        assert_eq!(
            grid(text).unwrap().canvas(),
            Some(mixlayout::Size::new(w, h))
        );
    }
}

#[test]
fn room_ids_are_bounded_by_length_only() {
    let room = |id: &str| {
        Job::from_json(
            serde_json::json!({"room_id": id, "encode_template": "audio_only"})
                .to_string()
                .as_bytes(),
        )
    };
    assert!(room("room\u{1}001").is_ok());
    assert!(room("").is_err());
    assert!(room(&"r".repeat(129)).is_err());
}

#[test]
fn custom_takes_1_to_25_panes() {
    let panes = |n: usize| {
        let list: Vec<String> = (1..=n)
            .map(|i| format!(r#"{{"id": {i}, "x": 0, "y": 0, "width": 1, "height": 1}}"#))
            .collect();
        job(
            &format!(
                r#""encode_template": "640x480_15_500", "layout_template": "custom", "layout_panes": [{}]"#,
                list.join(",")
            ),
            "",
        )
    };
    assert!(panes(1).is_ok());
    assert!(panes(25).is_ok());
    for n in [0, 26, 3000] {
        assert_eq!(
            err(panes(n)),
            format!("mix_param.layout_panes: custom takes 1..=25 panes, not {n}"),
            "{n} panes"
        );
    }
    // Ids are 1..=2147483647.
    let id = |id: &str| {
        job(
            &format!(
                r#""encode_template": "640x480_15_500", "layout_template": "custom", "layout_panes": [{{"id": {id}, "x": 0, "y": 0, "width": 1, "height": 1}}]"#
            ),
            "",
        )
    };
    assert!(id("2147483647").is_ok());
    assert_eq!(
        err(id("2147483648")),
        "mix_param.layout_panes[0].id: 2147483648 is above 2147483647"
    );
    assert_eq!(err(id("0")), "mix_param.layout_panes[0].id: 0 is below 1");
    let z = |z: &str| {
        job(
            &format!(
                r#""encode_template": "640x480_15_500", "layout_template": "custom", "layout_panes": [{{"id": 1, "zorder": {z}, "x": 0, "y": 0, "width": 1, "height": 1}}]"#
            ),
            "",
        )
    };
    assert!(z("25").is_ok());
    assert_eq!(
        err(z("26")),
        "mix_param.layout_panes[0].zorder: 26 is above 25"
    );
}
