//! Previews (SPEC §7): pixel checks against the layout's rectangles, and
//! golden pictures compared as decoded pixels.
//!
//! Goldens live in `tests/golden/`; on a mismatch the test writes
//! `NAME.actual.png` beside `NAME.png` and fails with its path. After
//! checking a new picture by eye, `MIXLAYOUT_BLESS=1 cargo test --test render`
//! writes the goldens.

mod common;
#[path = "common/sources.rs"]
mod sources;

use std::path::{Path, PathBuf};

use image::{Rgb, RgbImage};
use mixlayout::output::write_image;
use mixlayout::picture::{LoadOptions, Picture, Pictures};
use mixlayout::plan::stand_in;
use mixlayout::render::{RenderOptions, render};
use mixlayout::{Layout, Rect, Room, Stream, TileKind};

fn room(job: &str, users: usize, events: &str) -> Room {
    common::room(job, users, events).1
}

fn centre(r: Rect) -> (u32, u32) {
    (r.x + r.width / 2, r.y + r.height / 2)
}

fn no_labels() -> RenderOptions {
    let mut options = RenderOptions::default();
    options.style = options.style.without_labels();
    options
}

fn rgb(image: RgbImage) -> Picture {
    Picture::from_rgb(image).unwrap()
}

#[test]
fn flat_colours_fill_tiles_and_background_fills_the_rest() {
    let room = room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "1280x720_30_1710", "layout_template": "nine_grids_view"},
             "layout_options": {"background_color": "#123456", "placeholder_color": "#445566"}}"##,
        5,
        r#"[{"type": "video_off", "user_id": "u4"}]"#,
    );
    let layout = room.layout();
    let img = render(&layout, &Pictures::new(), &no_labels()).unwrap();
    assert_eq!(img.dimensions(), (1280, 720));
    for tile in &layout.tiles {
        let (x, y) = centre(tile.rect);
        let expected = match tile.kind {
            TileKind::AudioOnly => [0x44, 0x55, 0x66],
            _ => stand_in(tile.user_id.as_deref().unwrap(), Stream::Camera).0,
        };
        assert_eq!(img.get_pixel(x, y).0, expected, "{tile:?}");
        // Tile corners too: flat colour edge to edge.
        assert_eq!(img.get_pixel(tile.rect.x, tile.rect.y).0, expected);
        assert_eq!(
            img.get_pixel(tile.rect.right() - 1, tile.rect.bottom() - 1)
                .0,
            expected
        );
    }
    // 5 users in 3x3: cells 5..8 (x from 854, y from 480 at 1280x720) are background.
    assert_eq!(img.get_pixel(1000, 600).0, [0x12, 0x34, 0x56]);
    assert_eq!(img.get_pixel(1279, 719).0, [0x12, 0x34, 0x56]);
}

#[test]
fn contain_bands_show_the_fill_and_cover_fills_the_tile() {
    let room = room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620", "layout_template": "screen_share_left",
             "layout_panes": [{"id": 1, "filling_policy": "SHARED_SCREEN"}]}}"#,
        2,
        r#"[{"type": "screen_start", "user_id": "u1", "width": 1600, "height": 1200}]"#,
    );
    let layout = room.layout();
    let main = &layout.tiles[0];
    // 4:3 in 1536x1080: 1440 wide, bands of 48 at the left and right.
    assert_eq!(main.content, Rect::new(48, 0, 1440, 1080));
    let mut pictures = Pictures::new();
    pictures.insert_source(
        "u1",
        Stream::Screen,
        rgb(RgbImage::from_pixel(1600, 1200, Rgb([250, 10, 10]))),
    );
    pictures.insert_source(
        "u2",
        Stream::Camera,
        rgb(RgbImage::from_pixel(64, 48, Rgb([10, 250, 10]))),
    );
    let img = render(&layout, &pictures, &no_labels()).unwrap();
    assert_eq!(
        img.get_pixel(20, 540).0,
        [0, 0, 0],
        "left band is background"
    );
    assert_eq!(
        img.get_pixel(1510, 540).0,
        [0, 0, 0],
        "right band is background"
    );
    assert_eq!(img.get_pixel(50, 540).0, [250, 10, 10]);
    assert_eq!(img.get_pixel(1486, 1079).0, [250, 10, 10]);
    // u2's camera covers its small tile, edge to edge (its size was unknown).
    let small = layout.tiles[2].rect;
    assert_eq!(img.get_pixel(small.x, small.y).0, [10, 250, 10]);
    assert_eq!(
        img.get_pixel(small.right() - 1, small.bottom() - 1).0,
        [10, 250, 10]
    );
}

#[test]
fn the_crop_shows_the_middle_of_the_source() {
    // A 640x480 source: top and bottom 60 rows red, the middle green. Cover
    // into a 640x360 cell keeps rows 60..420: no red may show.
    let room = room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"},
             "layout_options": {"users": {"u1": {"width": 640, "height": 480}}}}"#,
        9,
        "[]",
    );
    let layout = room.layout();
    let source = RgbImage::from_fn(640, 480, |_, y| {
        if !(60..420).contains(&y) {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 200, 0])
        }
    });
    let mut pictures = Pictures::new();
    pictures.insert_source("u1", Stream::Camera, rgb(source));
    let img = render(&layout, &pictures, &no_labels()).unwrap();
    let tile = layout.tiles[0].rect;
    assert_eq!(tile, Rect::new(0, 0, 640, 360));
    for y in [0, 1, 180, 358, 359] {
        let p = img.get_pixel(320, y).0;
        assert!(p[0] < 40 && p[1] > 150, "row {y}: {p:?}");
    }
}

#[test]
fn transparent_pictures_show_the_fill_below() {
    let room = room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "nine_grids_view"},
             "layout_options": {"background_color": "#0000ff"}}"##,
        1,
        "[]",
    );
    let mut pictures = Pictures::new();
    let half = image::RgbaImage::from_fn(64, 48, |x, _| {
        image::Rgba([255, 0, 0, if x < 32 { 0 } else { 255 }])
    });
    pictures.insert_source("u1", Stream::Camera, Picture::from_rgba(half).unwrap());
    let img = render(&room.layout(), &pictures, &no_labels()).unwrap();
    assert_eq!(img.get_pixel(10, 240).0, [0, 0, 255]);
    assert_eq!(img.get_pixel(630, 240).0, [255, 0, 0]);
}

#[test]
fn labels_can_be_turned_off_and_stay_in_their_tile() {
    let room = room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "nine_grids_view"},
             "layout_options": {"users": {"u1": {"name": "Alice"}}}}"#,
        2,
        "[]",
    );
    let layout = room.layout();
    let with = render(&layout, &Pictures::new(), &RenderOptions::default()).unwrap();
    let without = render(&layout, &Pictures::new(), &no_labels()).unwrap();
    let tile = layout.tiles[0].rect;
    let differs = |img: &RgbImage, r: Rect| {
        (r.y..r.bottom())
            .any(|y| (r.x..r.right()).any(|x| img.get_pixel(x, y) != without.get_pixel(x, y)))
    };
    // The label is in the bottom-left corner of u1's tile, and only there.
    let corner = Rect::new(tile.x, tile.bottom() - 40, 120, 40);
    assert!(differs(&with, corner));
    let rest_of_canvas = Rect::new(tile.right(), 0, 640 - tile.right(), 480 - 40);
    assert!(!differs(&with, rest_of_canvas));
    assert!(!differs(
        &with,
        Rect::new(tile.x, tile.y, tile.width, tile.height - 40)
    ));
}

#[test]
fn limited_cover_of_an_unknown_size_keeps_its_bands_opaque() {
    // The upper pane's source size is unknown, so the preview places the
    // square picture by its own size; max_crop 0 forbids any cut, so it is
    // letterboxed in the wide pane. The bands show the background colour,
    // never the pane below.
    let room = room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "custom",
            "layout_panes": [{"id": 1, "x": 0, "y": 0, "width": 1, "height": 1},
                             {"id": 2, "x": 0, "y": 0, "width": 1, "height": 0.5, "zorder": 1}]},
            "layout_options": {"max_crop": 0, "background_color": "#0000ff"}}"##,
        2,
        "[]",
    );
    let layout = room.layout();
    let mut pictures = Pictures::new();
    pictures.insert_source(
        "u1",
        Stream::Camera,
        rgb(RgbImage::from_pixel(64, 48, Rgb([0, 200, 0]))),
    );
    pictures.insert_source(
        "u2",
        Stream::Camera,
        rgb(RgbImage::from_pixel(50, 50, Rgb([200, 0, 0]))),
    );
    let mut options = no_labels();
    options.style = mixlayout::plan::Style::for_job(room.job()).without_labels();
    let img = render(&layout, &pictures, &options).unwrap();
    // u2's pane is 640x180: the square picture is 180x180 at x = 230.
    assert_eq!(img.get_pixel(320, 90).0, [200, 0, 0]);
    // (100, 90) and (500, 170) lie in u2's bands, over u1's picture below
    // (x 80..560): they must show u2's fill, the background colour.
    assert_eq!(
        img.get_pixel(100, 90).0,
        [0, 0, 255],
        "band shows the pane below"
    );
    assert_eq!(
        img.get_pixel(500, 170).0,
        [0, 0, 255],
        "band shows the pane below"
    );
    // u1 is letterboxed too (4:3 in 16:9), its picture in the middle.
    assert_eq!(img.get_pixel(320, 300).0, [0, 200, 0]);
}

#[test]
fn audio_only_layouts_cannot_be_previewed() {
    let room = room(
        r#"{"room_id": "r", "encode_template": "audio_only"}"#,
        2,
        "[]",
    );
    assert!(render(&room.layout(), &Pictures::new(), &RenderOptions::default()).is_err());
}

// ---------------------------------------------------------------- goldens

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with `tests/golden/NAME.png`: every channel within 2
/// (codec-free, so only a change of scaler or font moves pixels).
fn check_golden(name: &str, actual: &RgbImage) {
    let path = golden_dir().join(format!("{name}.png"));
    if std::env::var_os("MIXLAYOUT_BLESS").is_some() {
        write_image(actual, &path).unwrap();
        return;
    }
    let expected = image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (bless with MIXLAYOUT_BLESS=1 after checking by eye)",
                path.display()
            )
        })
        .into_rgb8();
    let same = expected.dimensions() == actual.dimensions()
        && expected
            .pixels()
            .zip(actual.pixels())
            .all(|(e, a)| e.0.iter().zip(a.0).all(|(x, y)| x.abs_diff(y) <= 2));
    if !same {
        let out = golden_dir().join(format!("{name}.actual.png"));
        write_image(actual, &out).unwrap();
        panic!(
            "{name}: the preview differs from {}; see {}",
            path.display(),
            out.display()
        );
    }
}

/// Camera-like sources of varied sizes, a screen, and job images.
fn golden_pictures(layout: &Layout) -> Pictures {
    let mut pictures = Pictures::new();
    let sizes = [(320, 180), (240, 320), (320, 240), (300, 300)];
    for tile in &layout.tiles {
        if let (Some(user), Some(Stream::Camera)) = (tile.user_id.as_deref(), tile.stream) {
            let n: u32 = user.trim_start_matches('u').parse().unwrap_or(1);
            let (w, h) = sizes[n as usize % sizes.len()];
            pictures.insert_source(user, Stream::Camera, rgb(sources::camera_like(w, h, n)));
        }
    }
    pictures.insert_source("u1", Stream::Screen, rgb(sources::screen_like(480, 300, 1)));
    pictures.insert_image("bg.png", rgb(sources::camera_like(200, 120, 99)));
    pictures.insert_image("screen-bg.png", rgb(sources::screen_like(160, 90, 5)));
    pictures.insert_image(
        "s3://bucket/away.png",
        rgb(sources::camera_like(64, 64, 77)),
    );
    pictures
}

fn golden(name: &str, job: &str, users: usize, events: &str) {
    let room = room(job, users, events);
    let layout = room.layout();
    let pictures = golden_pictures(&layout);
    let options = RenderOptions::for_job(room.job());
    let img = render(&layout, &pictures, &options).unwrap();
    // Scaling on several threads draws exactly the same picture.
    let threaded = RenderOptions {
        threads: 3,
        ..options
    };
    assert!(
        render(&layout, &pictures, &threaded).unwrap() == img,
        "{name}: threads changed pixels"
    );
    check_golden(name, &img);
}

#[test]
fn golden_grid_five_with_audio_only() {
    golden(
        "grid-5",
        r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view",
            "default_user_background_image": "s3://bucket/away.png"},
            "layout_options": {"users": {"u1": {"name": "Alice Smith"}, "u2": {"width": 320, "height": 240}}}}"#,
        5,
        r#"[{"type": "video_off", "user_id": "u3"}]"#,
    );
}

#[test]
fn golden_share_left_screen() {
    golden(
        "share-left",
        r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "screen_share_left",
            "background_image": "bg.png",
            "layout_panes": [{"id": 1, "filling_policy": "SHARED_SCREEN"}]},
            "layout_options": {"users": {"u1": {"screen_width": 480, "screen_height": 300}}}}"#,
        4,
        r#"[{"type": "screen_start", "user_id": "u1"}]"#,
    );
}

#[test]
fn golden_share_right_empty_main_twelve_small() {
    golden(
        "share-right-12",
        r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "screen_share_right",
            "screen_background_image": "screen-bg.png",
            "layout_panes": [{"id": 1, "filling_policy": "SHARED_SCREEN"}]}}"#,
        12,
        "[]",
    );
}

#[test]
fn golden_custom_overlapping_panes() {
    golden(
        "custom-overlap",
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "custom",
            "layout_panes": [
              {"id": 1, "user_id": "u1", "video_type": "SCREENSTREAM", "x": 0, "y": 0, "width": 1, "height": 1,
               "crop_mode": "KEEP_RATIO_PADDING"},
              {"id": 2, "user_id": "u1", "x": 0.6, "y": 0.55, "width": 0.38, "height": 0.42, "zorder": 3},
              {"id": 3, "x": 0.02, "y": 0.6, "width": 0.3, "height": 0.35, "zorder": 1},
              {"id": 4, "x": 0.25, "y": 0.5, "width": 0.3, "height": 0.35, "zorder": 2}]},
            "layout_options": {"background_color": "#202830",
              "users": {"u1": {"name": "Host", "screen_width": 480, "screen_height": 300}}}}"##,
        3,
        r#"[{"type": "screen_start", "user_id": "u1"}]"#,
    );
}

#[test]
fn golden_portrait_grid_of_25() {
    golden(
        "portrait-25",
        r#"{"room_id": "r", "encode_template": "360x640_30_500", "layout_template": "nine_grids_view"}"#,
        25,
        "[]",
    );
}

#[test]
fn golden_styled_grid() {
    golden(
        "styled-grid",
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view",
            "background_image": "bg.png"},
            "layout_options": {"grid": "fit", "last_row": "center", "padding": 12, "gap": 8, "corner_radius": 18,
              "speaker_border": {"color": "#ffcc00", "width": 4}, "users": {"u2": {"name": "Bob"}}}}"##,
        5,
        r#"[{"type": "speaking", "user_id": "u2"}, {"type": "video_off", "user_id": "u4"}]"#,
    );
}

#[test]
fn golden_styled_share_left() {
    golden(
        "styled-share-left",
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "screen_share_left",
            "screen_background_image": "screen-bg.png"},
            "layout_options": {"main": "shared_screen", "padding": 8, "gap": 6, "corner_radius": 10,
              "speaker_border": {"color": "#33ddff", "width": 3}, "background_color": "#1c2230",
              "users": {"u1": {"screen_width": 480, "screen_height": 300}}}}"##,
        6,
        r#"[{"type": "screen_start", "user_id": "u1"}, {"type": "speaking", "user_id": "u3"}]"#,
    );
}

#[test]
fn golden_styled_share_right_portrait() {
    golden(
        "styled-share-right-portrait",
        r##"{"mix_param": {"room_id": "r", "encode_template": "360x640_30_500", "layout_template": "screen_share_right"},
            "layout_options": {"portrait": "transpose", "main": {"user_id": "u1", "stream": "camera"},
              "padding": 8, "gap": 4, "corner_radius": 12, "speaker_border": {"color": "#ffffff", "width": 3}}}"##,
        5,
        r#"[{"type": "speaking", "user_id": "u1"}]"#,
    );
}

#[test]
fn golden_styled_custom() {
    golden(
        "styled-custom",
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "custom",
            "layout_panes": [
              {"id": 1, "user_id": "u1", "video_type": "SCREENSTREAM", "x": 0, "y": 0, "width": 1, "height": 1,
               "crop_mode": "KEEP_RATIO_PADDING"},
              {"id": 2, "user_id": "u1", "x": 0.62, "y": 0.58, "width": 0.35, "height": 0.38, "zorder": 3},
              {"id": 3, "x": 0.03, "y": 0.6, "width": 0.3, "height": 0.35, "zorder": 1}]},
            "layout_options": {"corner_radius": 16, "speaker_border": {"color": "#ff5577", "width": 4},
              "background_color": "#202830", "users": {"u1": {"name": "Host", "screen_width": 480, "screen_height": 300}}}}"##,
        2,
        r#"[{"type": "screen_start", "user_id": "u1"}, {"type": "speaking", "user_id": "u1"}]"#,
    );
}

// ---------------------------------------------------------------- files

#[test]
fn pictures_load_from_files_and_references_resolve() {
    let dir = common::scratch("render-load");
    let sources_dir = dir.join("sources");
    let images_dir = dir.join("images");
    std::fs::create_dir_all(&sources_dir).unwrap();
    std::fs::create_dir_all(&images_dir).unwrap();
    sources::camera_like(64, 48, 1)
        .save(sources_dir.join("u1.png"))
        .unwrap();
    sources::camera_like(64, 48, 2)
        .save(sources_dir.join("u2.jpg"))
        .unwrap();
    sources::screen_like(64, 48, 2)
        .save(sources_dir.join("u2.screen.png"))
        .unwrap();
    RgbImage::from_pixel(8, 8, Rgb([1, 2, 3]))
        .save(dir.join("bg.png"))
        .unwrap();
    RgbImage::from_pixel(8, 8, Rgb([4, 5, 6]))
        .save(images_dir.join("default.png"))
        .unwrap();
    let job = r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "custom",
        "background_image": "bg.png", "default_user_background_image": "s3://b/default.png",
        "screen_background_image": "https://x.test/screen.png",
        "layout_panes": [{"id": 1, "x": 0, "y": 0, "width": 0.5, "height": 1},
                         {"id": 2, "x": 0.5, "y": 0, "width": 0.5, "height": 1},
                         {"id": 3, "user_id": "u2", "video_type": "SCREENSTREAM", "x": 0, "y": 0, "width": 0.2, "height": 0.2},
                         {"id": 4, "x": 0.8, "y": 0.8, "width": 0.2, "height": 0.2}]}}"#;
    let room = room(
        job,
        3,
        r#"[{"type": "screen_start", "user_id": "u2"}, {"type": "video_off", "user_id": "u3"}]"#,
    );
    let layout = room.layout();
    let options = LoadOptions {
        job_dir: dir.clone(),
        sources: Some(sources_dir.clone()),
        images: Some(images_dir),
    };
    let (pictures, warnings) = Pictures::load(room.job(), &[&layout], &options).unwrap();
    assert_eq!(
        pictures.source("u1", Stream::Camera).unwrap().dimensions(),
        (64, 48)
    );
    assert!(pictures.source("u2", Stream::Camera).is_some(), "jpg found");
    assert!(pictures.source("u2", Stream::Screen).is_some());
    assert!(pictures.image("bg.png").is_some());
    assert!(
        pictures.image("s3://b/default.png").is_some(),
        "stand-in from --images"
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].reference, "https://x.test/screen.png");

    // A source that exists but does not decode is an error naming it.
    std::fs::write(sources_dir.join("u1.png"), b"not a png").unwrap();
    let err = Pictures::load(room.job(), &[&layout], &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("u1.png") && err.contains("does not decode"),
        "{err}"
    );
    // A missing local image is an error too.
    std::fs::remove_file(sources_dir.join("u1.png")).unwrap();
    std::fs::remove_file(dir.join("bg.png")).unwrap();
    let err = Pictures::load(room.job(), &[&layout], &options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("bg.png"), "{err}");
}

#[test]
fn pictures_beyond_the_limits_are_refused() {
    let dir = common::scratch("render-limits");
    let big = dir.join("big.png");
    // 8193 x 1: one pixel wider than SPEC §8 allows.
    RgbImage::new(8193, 1).save(&big).unwrap();
    let err = mixlayout::picture::load_picture(&big)
        .unwrap_err()
        .to_string();
    assert!(err.contains("big.png"), "{err}");
    let ok = dir.join("ok.png");
    RgbImage::new(8192, 1).save(&ok).unwrap();
    assert!(mixlayout::picture::load_picture(&ok).is_ok());
}
