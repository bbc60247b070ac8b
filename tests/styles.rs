//! Styles (SPEC §1, §4, §7): every validation error of the new options, and
//! pixels of rounded corners and the speaker border in the preview.

mod common;

use image::{Rgb, RgbImage};
use mixlayout::picture::{Picture, Pictures};
use mixlayout::render::{RenderOptions, render};
use mixlayout::{Job, JobError, Rect, Room, Stream};

fn job(template: &str, options: &str) -> Result<Job, JobError> {
    Job::from_json(
        format!(
            r#"{{"mix_param": {{"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "{template}"
                {panes}}}, "layout_options": {{{options}}}}}"#,
            panes = if template == "custom" {
                r#", "layout_panes": [{"id": 1, "x": 0, "y": 0, "width": 1, "height": 1}]"#
            } else {
                ""
            }
        )
        .as_bytes(),
    )
}

fn err(template: &str, options: &str) -> String {
    job(template, options).unwrap_err().to_string()
}

#[test]
fn every_style_option_is_checked() {
    let grid = "nine_grids_view";
    assert!(
        job(
            grid,
            r#""padding": 512, "gap": 0, "grid": "fit", "last_row": "center""#
        )
        .is_err()
    );
    assert!(
        job(
            grid,
            r#""padding": 4, "gap": 2, "grid": "fit", "last_row": "center""#
        )
        .is_ok()
    );
    let cases = [
        (
            grid,
            r#""padding": 3"#,
            "layout_options.padding: 3 is not a multiple of align 2",
        ),
        (grid, r#""align": 1, "padding": 3"#, ""),
        (
            grid,
            r#""gap": 514"#,
            "layout_options.gap: 514 is above 512",
        ),
        (grid, r#""gap": -2"#, "layout_options.gap: -2 is below 0"),
        (
            grid,
            r#""grid": "auto""#,
            "layout_options.grid: \"auto\" is not one of classes, fit",
        ),
        (
            grid,
            r#""last_row": "right""#,
            "layout_options.last_row: \"right\" is not one of left, center",
        ),
        (
            grid,
            r#""corner_radius": 257"#,
            "layout_options.corner_radius: 257 is above 256",
        ),
        (
            grid,
            r##""speaker_border": {"color": "#fff", "width": 2}"##,
            "layout_options.speaker_border.color: must be #RRGGBB",
        ),
        (
            grid,
            r##""speaker_border": {"color": "#ffffff", "width": 0}"##,
            "layout_options.speaker_border.width: 0 is below 1",
        ),
        (
            grid,
            r##""speaker_border": {"color": "#ffffff", "width": 33}"##,
            "layout_options.speaker_border.width: 33 is above 32",
        ),
        (
            grid,
            r#""speaker_border": {"width": 3}"#,
            "layout_options.speaker_border.color: is required",
        ),
        (
            grid,
            r##""speaker_border": {"color": "#ffffff", "width": 3, "style": 1}"##,
            "layout_options.speaker_border.style: unknown field",
        ),
        (grid, r#""speaker_border": null"#, ""),
        (
            grid,
            r#""speaker_priority": 1"#,
            "layout_options.speaker_priority: expected a boolean, found an integer",
        ),
        (
            grid,
            r#""reconnect_grace_ms": 600001"#,
            "layout_options.reconnect_grace_ms: 600001 is above 600000",
        ),
        // Options of other templates, whatever their value.
        (
            grid,
            r#""portrait": "sparkrtc""#,
            "layout_options.portrait: nine_grids_view does not take this option",
        ),
        (
            "screen_share_left",
            r#""grid": "classes""#,
            "layout_options.grid: screen_share_left does not take this option",
        ),
        (
            "screen_share_right",
            r#""last_row": "left""#,
            "layout_options.last_row: screen_share_right does not take this option",
        ),
        (
            "custom",
            r#""gap": 0"#,
            "layout_options.gap: custom does not take this option",
        ),
        (
            "custom",
            r#""padding": 2"#,
            "layout_options.padding: custom does not take this option",
        ),
        (
            "custom",
            r#""portrait": "transpose""#,
            "layout_options.portrait: custom does not take this option",
        ),
        (
            "screen_share_left",
            r#""portrait": "upright""#,
            "layout_options.portrait: \"upright\" is not one of sparkrtc, transpose",
        ),
        // Corners and borders are drawing only: every template takes them.
        (
            "custom",
            r##""corner_radius": 12, "speaker_border": {"color": "#ffcc00", "width": 4}"##,
            "",
        ),
    ];
    for (template, options, expected) in cases {
        match job(template, options) {
            Ok(_) => assert_eq!(expected, "", "{template} {options} was accepted"),
            Err(e) => assert_eq!(e.to_string(), expected, "{template} {options}"),
        }
    }
}

#[test]
fn spacing_that_leaves_no_room_names_the_option() {
    // 640x360 with gap 64: 5x5 leaves 640 - 4 * 64 = 384 across and
    // 360 - 256 = 104 down, both at least 5 * 2.
    assert!(job("nine_grids_view", r#""gap": 64"#).is_ok());
    // Gap 160: 2x2 and 3x3 fit (360 - 2 * 160 = 40 >= 6), but 4x4 leaves
    // 360 - 3 * 160 = -120 down.
    assert_eq!(
        err("nine_grids_view", r#""gap": 160"#),
        "layout_options.gap: leaves -120 pixels for 4 parts of a 360-pixel side, less than 2 a part"
    );
    // Without a gap the padding is named: 360 - 2 * 180 = 0 for one row.
    assert_eq!(
        err("nine_grids_view", r#""padding": 180"#),
        "layout_options.padding: leaves 0 pixels for 1 parts of a 360-pixel side, less than 2 a part"
    );
    // Screen share: one column of 4 rows leaves 360 - 2 * 8 - 3 * 100 = 44
    // (fine), 6 rows leave 344 - 500 = -156.
    assert_eq!(
        err("screen_share_left", r#""padding": 8, "gap": 100"#),
        "layout_options.gap: leaves -156 pixels for 6 parts of a 360-pixel side, less than 2 a part"
    );
}

/// A room of `users` with `events`, and its preview with flat pictures.
fn preview(job: &str, users: usize, events: &str, colors: &[(&str, [u8; 3])]) -> (Room, RgbImage) {
    let (job, room) = common::room(job, users, events);
    let mut pictures = Pictures::new();
    for (user, color) in colors {
        let picture = Picture::from_rgb(RgbImage::from_pixel(64, 36, Rgb(*color))).unwrap();
        pictures.insert_source(*user, Stream::Camera, picture);
    }
    let mut options = RenderOptions::for_job(&job);
    options.style = options.style.without_labels();
    let image = render(&room.layout(), &pictures, &options).unwrap();
    (room, image)
}

#[test]
fn rounded_corners_show_what_is_below() {
    // One user fills a 640x360 canvas of colour #102030 with corners of 40:
    // the corner pixel is the canvas, the middle and the edge's middle the
    // picture, and the curve blends the two.
    let (_, img) = preview(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view"},
            "layout_options": {"background_color": "#102030", "corner_radius": 40}}"##,
        1,
        "[]",
        &[("u1", [200, 60, 60])],
    );
    let canvas = [0x10, 0x20, 0x30];
    for (x, y) in [(0, 0), (639, 0), (0, 359), (639, 359), (5, 5)] {
        assert_eq!(img.get_pixel(x, y).0, canvas, "({x}, {y})");
    }
    for (x, y) in [(320, 180), (320, 0), (0, 180), (40, 40)] {
        assert_eq!(img.get_pixel(x, y).0, [200, 60, 60], "({x}, {y})");
    }
    // On the curve (11, 11): about 9 % covered (40 - 41.0 + 0.5 is out; the
    // antialiased band is one pixel wide, so some pixel of the diagonal is
    // between the two colours).
    let mixed = (0..40u32).any(|d| {
        let p = img.get_pixel(d, d).0;
        p != canvas && p != [200, 60, 60]
    });
    assert!(mixed, "the curve is antialiased");
    // A pane above shows the pane below through its corners.
    let (room, img) = preview(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "custom",
            "layout_panes": [{"id": 1, "x": 0, "y": 0, "width": 1, "height": 1},
                             {"id": 2, "x": 0.25, "y": 0.25, "width": 0.5, "height": 0.5, "zorder": 1}]},
            "layout_options": {"corner_radius": 30}}"##,
        2,
        "[]",
        &[("u1", [20, 200, 20]), ("u2", [20, 20, 200])],
    );
    let upper = room.layout().tiles[1].rect;
    assert_eq!(upper, Rect::new(160, 90, 320, 180));
    assert_eq!(
        img.get_pixel(upper.x, upper.y).0,
        [20, 200, 20],
        "u1 below shows"
    );
    assert_eq!(img.get_pixel(upper.x + 160, upper.y + 90).0, [20, 20, 200]);
}

#[test]
fn the_speaker_border_follows_the_speaker() {
    let job = r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view"},
        "layout_options": {"speaker_border": {"color": "#ffcc00", "width": 6}}}"##;
    let colors = [("u1", [30, 30, 200]), ("u2", [30, 200, 30])];
    let (room, img) = preview(
        job,
        2,
        r#"[{"type": "speaking", "user_id": "u2"}]"#,
        &colors,
    );
    let tile = room.layout().tiles[1].rect;
    assert_eq!(tile, Rect::new(320, 0, 320, 360));
    // The band: 6 pixels inside the edge, the picture within.
    for (x, y) in [
        (tile.x, 180),
        (tile.x + 5, 180),
        (tile.right() - 1, 100),
        (400, 0),
        (400, 359),
    ] {
        assert_eq!(img.get_pixel(x, y).0, [0xff, 0xcc, 0x00], "({x}, {y})");
    }
    assert_eq!(img.get_pixel(tile.x + 6, 180).0, [30, 200, 30]);
    // u1 does not speak: no border.
    assert_eq!(img.get_pixel(0, 180).0, [30, 30, 200]);
    // Nobody speaks: no border anywhere.
    let (_, quiet) = preview(job, 2, "[]", &colors);
    assert_eq!(quiet.get_pixel(tile.x, 180).0, [30, 200, 30]);
    // A speaker whose camera is off keeps the border over the placeholder.
    let (_, off) = preview(
        job,
        2,
        r#"[{"type": "speaking", "user_id": "u2"}, {"type": "video_off", "user_id": "u2"}]"#,
        &colors,
    );
    assert_eq!(off.get_pixel(tile.x, 180).0, [0xff, 0xcc, 0x00]);
    assert_eq!(off.get_pixel(tile.x + 100, 180).0, [0x30, 0x30, 0x30]);
}
