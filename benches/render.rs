//! Preview rendering at 1080p (issues 5 and 6): 9 and 25 tiles from decoded
//! 1280x720 sources and from flat colours, PNG encoding on its own, and the
//! two scalers considered for tiles.
//!
//! `cargo bench --bench render`

#[path = "../tests/common/sources.rs"]
mod sources;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;
use mixlayout::render::{Picture, Pictures, RenderOptions, render};
use mixlayout::{Event, Job, Layout, Room, SourceSize, Stream};

fn layout(users: usize) -> Layout {
    let job = Job::from_json(
        br#"{"room_id": "bench", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"}"#,
    )
    .unwrap();
    let mut room = Room::new(Arc::new(job));
    for i in 1..=users {
        let camera = SourceSize::new(1280, 720);
        room.apply(&Event::join(format!("u{i}"), camera)).unwrap();
    }
    room.layout()
}

fn pictures(users: usize) -> Pictures {
    let mut pictures = Pictures::new();
    for i in 1..=users {
        let picture = Picture::from(sources::camera_like(1280, 720, i as u32));
        pictures.insert_source(format!("u{i}"), Stream::Camera, picture);
    }
    pictures
}

fn render_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_1080p");
    group.sample_size(30);
    let options = RenderOptions::default();
    for users in [9, 25] {
        let layout = layout(users);
        let with = pictures(users);
        group.bench_function(format!("{users}_tiles_sources"), |b| {
            b.iter(|| black_box(render(&layout, &with, &options).unwrap()))
        });
        let threaded = RenderOptions {
            threads: 2,
            ..options
        };
        group.bench_function(format!("{users}_tiles_sources_2_threads"), |b| {
            b.iter(|| black_box(render(&layout, &with, &threaded).unwrap()))
        });
        let none = Pictures::new();
        group.bench_function(format!("{users}_tiles_flat"), |b| {
            b.iter(|| black_box(render(&layout, &none, &options).unwrap()))
        });
    }
    // The floor any antialiasing scaler has: every source pixel is read once.
    let sources: Vec<RgbImage> = (1..=25)
        .map(|i| sources::camera_like(1280, 720, i))
        .collect();
    group.bench_function("25_sources_read_only", |b| {
        b.iter(|| {
            let sum: u64 = sources
                .iter()
                .map(|s| {
                    s.as_raw()
                        .chunks_exact(64)
                        .map(|c| u64::from(c[0]))
                        .sum::<u64>()
                })
                .sum();
            black_box(sum)
        })
    });
    group.finish();

    let frame = render(&layout(25), &pictures(25), &options).unwrap();
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

/// One 25-grid tile: 1280x720 down to 384x216.
fn scalers(c: &mut Criterion) {
    let source = sources::camera_like(1280, 720, 3);
    let mut group = c.benchmark_group("scale_tile_1280x720_to_384x216");
    group.bench_function("image_triangle", |b| {
        b.iter(|| {
            black_box(image::imageops::resize(
                &source,
                384,
                216,
                image::imageops::FilterType::Triangle,
            ))
        })
    });
    let mut resizer = Resizer::new();
    let mut dst = RgbImage::new(384, 216);
    for (name, filter) in [
        ("fir_bilinear", FilterType::Bilinear),
        ("fir_catmull_rom", FilterType::CatmullRom),
    ] {
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
        group.bench_function(name, |b| {
            b.iter(|| {
                resizer.resize(&source, &mut dst, &options).unwrap();
                black_box(&dst);
            })
        });
    }
    let rgba = image::DynamicImage::ImageRgb8(source.clone()).into_rgba8();
    let mut dst4 = image::RgbaImage::new(384, 216);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear))
        .use_alpha(false);
    group.bench_function("fir_bilinear_rgba", |b| {
        b.iter(|| {
            resizer.resize(&rgba, &mut dst4, &options).unwrap();
            black_box(&dst4);
        })
    });
    let options =
        ResizeOptions::new().resize_alg(ResizeAlg::SuperSampling(FilterType::Bilinear, 2));
    group.bench_function("fir_supersample2_bilinear", |b| {
        b.iter(|| {
            resizer.resize(&source, &mut dst, &options).unwrap();
            black_box(&dst);
        })
    });
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Box));
    group.bench_function("fir_box", |b| {
        b.iter(|| {
            resizer.resize(&source, &mut dst, &options).unwrap();
            black_box(&dst);
        })
    });
    group.finish();
}

criterion_group!(benches, render_bench, scalers);
criterion_main!(benches);
