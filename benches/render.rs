//! Both painters at 1080p in one run, so their figures compare: the RGB
//! preview (`render_1080p`) and the I420 frame compositor (`compose_1080p`),
//! from decoded sources, with and without styles; and PNG encoding.
//!
//! `cargo bench --bench render`

#[path = "../tests/common/sources.rs"]
mod sources;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mixlayout::frame::{ComposeOptions, Compositor, Frame};
use mixlayout::picture::{Picture, Pictures};
use mixlayout::render::{RenderOptions, render};
use mixlayout::{Event, Job, Layout, Room, SourceSize, Stream};

const PLAIN: &str = r#"{"room_id": "bench", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"}"#;
const STYLED: &str = r#"{"mix_param": {"room_id": "bench", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"},
    "layout_options": {"corner_radius": 24}}"#;

fn layout(job: &str, users: usize, size: (u32, u32)) -> (Arc<Job>, Layout) {
    let job = Arc::new(Job::from_json(job.as_bytes()).unwrap());
    let mut room = Room::new(job.clone());
    for i in 1..=users {
        let camera = SourceSize::new(size.0, size.1);
        room.apply(&Event::join(format!("u{i}"), camera)).unwrap();
    }
    (job, room.layout())
}

fn pictures(users: usize, size: (u32, u32)) -> Pictures {
    let mut pictures = Pictures::new();
    for i in 1..=users {
        let picture = Picture::from_rgb(sources::camera_like(size.0, size.1, i as u32)).unwrap();
        pictures.insert_source(format!("u{i}"), Stream::Camera, picture);
    }
    pictures
}

fn frames(users: usize, size: (u32, u32)) -> Vec<Frame> {
    (1..=users)
        .map(|i| Frame::from_picture(&sources::camera_like(size.0, size.1, i as u32), None))
        .collect()
}

fn render_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_1080p");
    group.sample_size(20);
    let options = RenderOptions::default();
    for users in [9, 25] {
        let (_, plain) = layout(PLAIN, users, (1280, 720));
        let with = pictures(users, (1280, 720));
        group.bench_function(format!("{users}_tiles_sources"), |b| {
            b.iter(|| black_box(render(&plain, &with, &options).unwrap()))
        });
        if users == 25 {
            let threaded = RenderOptions {
                threads: 2,
                ..options
            };
            group.bench_function("25_tiles_sources_2_threads", |b| {
                b.iter(|| black_box(render(&plain, &with, &threaded).unwrap()))
            });
            // The same with rounded corners: what corners cost.
            let (job, styled) = layout(STYLED, users, (1280, 720));
            let rounded = RenderOptions::for_job(&job);
            group.bench_function("25_tiles_sources_rounded", |b| {
                b.iter(|| black_box(render(&styled, &with, &rounded).unwrap()))
            });
            let none = Pictures::new();
            group.bench_function("25_tiles_flat", |b| {
                b.iter(|| black_box(render(&plain, &none, &options).unwrap()))
            });
        }
    }
    group.finish();

    let (_, plain) = layout(PLAIN, 25, (1280, 720));
    let frame = render(&plain, &pictures(25, (1280, 720)), &options).unwrap();
    let mut group = c.benchmark_group("png_1080p");
    group.sample_size(20);
    group.bench_function("encode_fast", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(8 << 20);
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Adaptive,
            );
            image::ImageEncoder::write_image(
                encoder,
                frame.as_raw(),
                1920,
                1080,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
            black_box(out)
        })
    });
    group.finish();
}

fn compose_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compose_1080p");
    group.sample_size(30);
    for (name, users, size, threads) in [
        ("25_tiles_i420_from_720p", 25, (1280, 720), 1),
        ("9_tiles_i420_from_360p", 9, (640, 360), 1),
        ("25_tiles_i420_from_720p_2_threads", 25, (1280, 720), 2),
        ("25_tiles_one_source", 25, (1280, 720), 1),
    ] {
        let (job, layout) = layout(PLAIN, users, size);
        let sources = frames(users, size);
        let options = ComposeOptions {
            threads,
            ..ComposeOptions::default()
        };
        let mut compositor = Compositor::new(job, &Pictures::new(), options).unwrap();
        let mut out = Frame::new(1920, 1080).unwrap();
        let one = name.ends_with("one_source");
        let lookup = |user: &str, _: Stream| {
            let n: usize = if one { 1 } else { user[1..].parse().ok()? };
            sources.get(n - 1).map(Frame::as_ref)
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                compositor
                    .compose(&layout, &lookup, &mut out.as_mut())
                    .unwrap();
                black_box(&out);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, render_bench, compose_bench);
criterion_main!(benches);
