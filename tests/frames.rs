//! Composed I420 frames (SPEC §11): parity with the RGB preview on every
//! template (styles included), sources whose size changes, missing sources,
//! threads, and bad frames refused with typed errors.

mod common;
#[path = "common/sources.rs"]
mod sources;

use std::sync::Arc;

use image::RgbImage;
use mixlayout::frame::{ComposeOptions, Compositor, Frame, FrameRef};
use mixlayout::picture::{Picture, Pictures};
use mixlayout::render::{RenderOptions, render};
use mixlayout::{FrameError, Job, Layout, Rgb, Size, Stream, TileKind};

fn room(job: &str, users: usize, events: &str) -> (Arc<Job>, Layout) {
    let (job, room) = common::room(job, users, events);
    (job, room.layout())
}

/// Sources of varied sizes (even, as decoders give), screens, job images.
struct Scene {
    rgb: Vec<(String, Stream, RgbImage)>,
    images: Pictures,
}

impl Scene {
    fn new(layout: &Layout) -> Scene {
        let sizes = [(320, 180), (240, 320), (320, 240), (300, 300), (640, 360)];
        let mut rgb = Vec::new();
        for tile in &layout.tiles {
            let (Some(user), Some(stream)) = (tile.user_id.as_deref(), tile.stream) else {
                continue;
            };
            if rgb.iter().any(|(u, s, _)| u == user && *s == stream) {
                continue;
            }
            let n: u32 = user.trim_start_matches('u').parse().unwrap_or(1);
            let picture = match stream {
                Stream::Camera => {
                    let (w, h) = sizes[n as usize % sizes.len()];
                    sources::camera_like(w, h, n)
                }
                Stream::Screen => sources::screen_like(480, 300, n),
            };
            rgb.push((user.to_owned(), stream, picture));
        }
        let mut images = Pictures::new();
        let picture = |image: RgbImage| Picture::from_rgb(image).unwrap();
        images.insert_image("bg.png", picture(sources::camera_like(200, 120, 99)));
        images.insert_image("screen-bg.png", picture(sources::screen_like(160, 90, 5)));
        images.insert_image(
            "s3://bucket/away.png",
            picture(sources::camera_like(64, 64, 77)),
        );
        Scene { rgb, images }
    }

    fn pictures(&self) -> Pictures {
        let mut pictures = self.images.clone();
        for (user, stream, image) in &self.rgb {
            pictures.insert_source(
                user.clone(),
                *stream,
                Picture::from_rgb(image.clone()).unwrap(),
            );
        }
        pictures
    }

    fn frames(&self) -> Vec<(String, Stream, Frame)> {
        self.rgb
            .iter()
            .map(|(u, s, image)| (u.clone(), *s, Frame::from_picture(image, None)))
            .collect()
    }
}

/// Composes `layout` from the scene's frames, on `threads` threads.
fn compose(job: &Arc<Job>, layout: &Layout, scene: &Scene, threads: usize) -> Frame {
    let frames = scene.frames();
    let options = ComposeOptions {
        threads,
        ..ComposeOptions::default()
    };
    let mut compositor = Compositor::new(job.clone(), &scene.images, options).unwrap();
    let canvas = layout.canvas.unwrap();
    let mut out = Frame::new(canvas.width, canvas.height).unwrap();
    let sources = |user: &str, stream: Stream| {
        frames
            .iter()
            .find(|(u, s, _)| u == user && *s == stream)
            .map(|(_, _, f)| f.as_ref())
    };
    compositor
        .compose(layout, &sources, &mut out.as_mut())
        .unwrap();
    out
}

fn parity(name: &str, job: &str, users: usize, events: &str) -> f64 {
    let (job, layout) = room(job, users, events);
    let scene = Scene::new(&layout);
    let preview = render(&layout, &scene.pictures(), &RenderOptions::for_job(&job)).unwrap();
    let frame = compose(&job, &layout, &scene, 1);
    let composed = frame.to_rgb();
    // The preview through 4:2:0 and back: what the frame can be at best
    // (SPEC §11: equal "within the loss of 4:2:0 and rounding").
    let preview = Frame::from_picture(&preview, None).to_rgb();
    let db = common::psnr(&composed, &preview);
    if db < 38.0 {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        preview
            .save(dir.join(format!("{name}.preview.png")))
            .unwrap();
        composed
            .save(dir.join(format!("{name}.composed.png")))
            .unwrap();
    }
    assert!(
        db >= 38.0,
        "{name}: PSNR {db:.1} dB; see {}",
        env!("CARGO_TARGET_TMPDIR")
    );
    // Video tiles' centres (no label or initials there), unless a later
    // tile covers them.
    for (i, tile) in layout.tiles.iter().enumerate() {
        let (x, y) = (
            tile.rect.x + tile.rect.width / 2,
            tile.rect.y + tile.rect.height / 2,
        );
        let covered = layout.tiles[i + 1..]
            .iter()
            .any(|t| t.rect.contains_rect(mixlayout::Rect::new(x, y, 1, 1)));
        if tile.kind != TileKind::Video || covered {
            continue;
        }
        let (a, b) = (composed.get_pixel(x, y).0, preview.get_pixel(x, y).0);
        assert!(
            a.iter().zip(b).all(|(p, q)| p.abs_diff(q) <= 6),
            "{name}: centre of {:?} {a:?} vs the preview's {b:?}",
            tile.user_id
        );
    }
    // Threads paint the same pixels.
    assert!(
        compose(&job, &layout, &scene, 3) == frame,
        "{name}: threads changed pixels"
    );
    db
}

#[test]
fn frames_match_the_preview_on_every_template() {
    let figures = [
        parity(
            "grid",
            r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view",
            "background_image": "bg.png", "default_user_background_image": "s3://bucket/away.png"},
            "layout_options": {"users": {"u1": {"name": "Alice Smith"}}}}"#,
            7,
            r#"[{"type": "video_off", "user_id": "u4"}]"#,
        ),
        parity(
            "styled grid",
            r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view",
            "background_image": "bg.png"},
            "layout_options": {"grid": "fit", "last_row": "center", "padding": 12, "gap": 8, "corner_radius": 18,
              "speaker_border": {"color": "#ffcc00", "width": 4}}}"##,
            5,
            r#"[{"type": "speaking", "user_id": "u2"}, {"type": "video_off", "user_id": "u4"}]"#,
        ),
        parity(
            "share left",
            r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "screen_share_left",
            "screen_background_image": "screen-bg.png"},
            "layout_options": {"main": "shared_screen", "gap": 6, "corner_radius": 10}}"#,
            6,
            r#"[{"type": "screen_start", "user_id": "u1", "width": 480, "height": 300}]"#,
        ),
        parity(
            "share right portrait",
            r##"{"mix_param": {"room_id": "r", "encode_template": "360x640_30_500", "layout_template": "screen_share_right"},
            "layout_options": {"portrait": "transpose", "main": {"user_id": "u1", "stream": "camera"},
              "padding": 8, "gap": 4, "speaker_border": {"color": "#ffffff", "width": 3}}}"##,
            5,
            r#"[{"type": "speaking", "user_id": "u1"}]"#,
        ),
        parity(
            "custom",
            r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "custom",
            "layout_panes": [
              {"id": 1, "user_id": "u1", "video_type": "SCREENSTREAM", "x": 0, "y": 0, "width": 1, "height": 1,
               "crop_mode": "KEEP_RATIO_PADDING"},
              {"id": 2, "user_id": "u1", "x": 0.62, "y": 0.58, "width": 0.35, "height": 0.38, "zorder": 3},
              {"id": 3, "x": 0.03, "y": 0.6, "width": 0.3, "height": 0.35, "zorder": 1}]},
            "layout_options": {"corner_radius": 16, "background_color": "#202830"}}"##,
            2,
            r#"[{"type": "screen_start", "user_id": "u1"}]"#,
        ),
    ];
    eprintln!("PSNR against the preview: {figures:.1?} dB");
}

#[test]
fn a_source_that_changes_size_is_placed_by_its_crop() {
    // The layout knows u1's camera as 640x480 (cut top and bottom in the
    // 16:9 cell); the decoder delivers 320x240, then 1280x960: the crop
    // scales with the frame, so the three frames show the same part.
    let (job, layout) = room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view"},
            "layout_options": {"users": {"u1": {"width": 640, "height": 480}}}}"#,
        1,
        "[]",
    );
    let mut compositor = Compositor::new(job, &Pictures::new(), ComposeOptions::default()).unwrap();
    let mut shots = Vec::new();
    for (w, h) in [(640, 480), (320, 240), (1280, 960)] {
        let source = Frame::from_picture(&sources::camera_like(w, h, 4), None);
        let mut out = Frame::new(640, 360).unwrap();
        let frame = |_: &str, _: Stream| Some(source.as_ref());
        compositor
            .compose(&layout, &frame, &mut out.as_mut())
            .unwrap();
        shots.push(out.to_rgb());
    }
    for shot in &shots[1..] {
        let db = common::psnr(shot, &shots[0]);
        assert!(db >= 28.0, "the same part of the picture: PSNR {db:.1} dB");
    }
}

#[test]
fn a_missing_frame_is_drawn_as_spec_says() {
    // u1 has no camera frame: its audio-only look (the placeholder colour
    // and initials). u2 shares a screen but no screen frame comes: the main
    // window is empty (the background colour).
    let (job, layout) = room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "screen_share_left"},
            "layout_options": {"main": "shared_screen", "background_color": "#0000ff", "placeholder_color": "#ff0000"}}"##,
        2,
        r#"[{"type": "screen_start", "user_id": "u2"}]"#,
    );
    let mut compositor = Compositor::new(job, &Pictures::new(), ComposeOptions::default()).unwrap();
    let mut out = Frame::new(640, 360).unwrap();
    let none = |_: &str, _: Stream| -> Option<FrameRef<'static>> { None };
    compositor
        .compose(&layout, &none, &mut out.as_mut())
        .unwrap();
    let rgb = out.to_rgb();
    let near = |p: [u8; 3], q: [u8; 3]| p.iter().zip(q).all(|(a, b)| a.abs_diff(b) <= 3);
    let main = layout.tiles[0].rect;
    assert!(near(rgb.get_pixel(main.x + 10, main.y + 10).0, [0, 0, 255]));
    let small = layout.tiles[1].rect;
    assert!(near(rgb.get_pixel(small.x + 3, small.y + 3).0, [255, 0, 0]));
    // The initials are there: something light in the middle of u1's tile.
    let light = (small.y..small.bottom()).any(|y| {
        rgb.get_pixel(small.x + small.width / 2, y)
            .0
            .iter()
            .all(|&c| c > 200)
    });
    assert!(light, "initials drawn");
}

#[test]
fn bad_frames_are_typed_errors() {
    let (y, u, v) = (vec![0u8; 64 * 48], vec![0u8; 32 * 24], vec![0u8; 32 * 24]);
    assert!(FrameRef::new(64, 48, [(&y, 64), (&u, 32), (&v, 32)]).is_ok());
    assert_eq!(
        FrameRef::new(63, 48, [(&y, 64), (&u, 32), (&v, 32)]).unwrap_err(),
        FrameError::Size {
            width: 63,
            height: 48
        }
    );
    assert_eq!(
        FrameRef::new(64, 48, [(&y, 60), (&u, 32), (&v, 32)]).unwrap_err(),
        FrameError::Stride {
            plane: 0,
            stride: 60,
            width: 64
        }
    );
    assert_eq!(
        FrameRef::new(64, 48, [(&y, 64), (&u[..100], 32), (&v, 32)]).unwrap_err(),
        FrameError::Short {
            plane: 1,
            len: 100,
            needed: 768
        }
    );
    assert!(matches!(Frame::new(0, 0), Err(FrameError::Size { .. })));
    assert!(matches!(Frame::new(8194, 2), Err(FrameError::Size { .. })));
    // An output frame of another size than the canvas.
    let (job, layout) = room(
        r#"{"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view"}"#,
        1,
        "[]",
    );
    let mut compositor = Compositor::new(job, &Pictures::new(), ComposeOptions::default()).unwrap();
    let mut out = Frame::new(320, 180).unwrap();
    let none = |_: &str, _: Stream| -> Option<FrameRef<'static>> { None };
    let err = compositor
        .compose(&layout, &none, &mut out.as_mut())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the output frame is 320x180, the canvas 640x360"
    );
    assert!(matches!(
        err,
        mixlayout::Error::Frame(FrameError::Canvas { got, canvas })
            if got == Size::new(320, 180) && canvas == Size::new(640, 360)
    ));
    // An audio-only job has nothing to compose.
    let audio =
        Arc::new(Job::from_json(br#"{"room_id": "r", "encode_template": "audio_only"}"#).unwrap());
    assert!(Compositor::new(audio, &Pictures::new(), ComposeOptions::default()).is_err());
}

#[test]
fn colours_convert_with_bt709_limited_range() {
    let (job, layout) = room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "64x48_30_500", "layout_template": "nine_grids_view"},
            "layout_options": {"background_color": "#ff0000"}}"##,
        0,
        "[]",
    );
    let mut compositor = Compositor::new(job, &Pictures::new(), ComposeOptions::default()).unwrap();
    let mut out = Frame::new(64, 48).unwrap();
    let none = |_: &str, _: Stream| -> Option<FrameRef<'static>> { None };
    compositor
        .compose(&layout, &none, &mut out.as_mut())
        .unwrap();
    // Red: Y 63, Cb 102, Cr 240 (by hand in Rgb::to_ycbcr's docs).
    assert_eq!(out.luma(10, 10), 63);
    let back = Rgb::from_ycbcr([63, 102, 240]).0;
    assert!(
        back.iter()
            .zip([255, 0, 0])
            .all(|(a, b)| a.abs_diff(b) <= 1),
        "{back:?}"
    );
}
