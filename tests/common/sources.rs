//! Synthetic source pictures for tests, benches and the README: camera-like
//! (gradient backdrop, a head and shoulders, sensor noise, so that a
//! misplaced crop shows and PNG does not shrink them to nothing) and
//! screen-like (a desktop with windows and lines of "text").
// Included by tests, a bench and an example; each uses part of it.
#![allow(dead_code)]

use image::{Rgb, RgbImage};

/// A deterministic xorshift generator.
struct Noise(u32);

impl Noise {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// A camera-like picture of `width` x `height`; `seed` varies the colours.
pub fn camera_like(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut noise = Noise(seed.wrapping_mul(2_654_435_761) | 1);
    let base = [
        (seed * 67) % 256,
        (seed * 131 + 80) % 256,
        (seed * 29 + 160) % 256,
    ];
    let (w, h) = (width as f32, height as f32);
    let (cx, cy) = (w / 2.0, h * 0.42);
    let head = h.min(w) * 0.18;
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        // Backdrop: a diagonal gradient, so every crop offset shows.
        let mut px = [
            base[0] as f32 * (1.0 - fx) + 255.0 * fx * 0.6,
            base[1] as f32 * (1.0 - fy) + 40.0 * fy,
            base[2] as f32 * (0.5 + 0.5 * fx * fy),
        ];
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        if (dx * dx) / (head * head * 0.7) + (dy * dy) / (head * head) < 1.0 {
            px = [224.0 - dy * 0.2, 172.0 - dy * 0.2, 140.0];
        } else if y as f32 > cy + head * 1.1
            && dx.abs() < head * 2.2 - (y as f32 - cy - head) * -0.3
        {
            px = [40.0 + fx * 60.0, 60.0, 110.0 + fy * 60.0];
        }
        let n = (noise.next() % 13) as f32 - 6.0;
        Rgb(px.map(|v| (v + n).clamp(0.0, 255.0) as u8))
    })
}

/// A screen-like picture: a light desktop, two windows, lines of text.
pub fn screen_like(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut img = RgbImage::from_fn(width, height, |x, y| {
        let v = 200 + (x * 40 / width.max(1)) as u8 + (y * 15 / height.max(1)) as u8;
        Rgb([v, v, 255])
    });
    let windows = [
        (0.05, 0.08, 0.55, 0.6, [250, 250, 250]),
        (0.45, 0.35, 0.5, 0.55, [255, 250, 235]),
    ];
    for (i, (fx, fy, fw, fh, color)) in windows.into_iter().enumerate() {
        let (x0, y0) = ((fx * width as f32) as u32, (fy * height as f32) as u32);
        let (x1, y1) = (
            ((fx + fw) * width as f32) as u32,
            ((fy + fh) * height as f32) as u32,
        );
        let bar = (height / 30).max(2);
        for y in y0..y1.min(height) {
            for x in x0..x1.min(width) {
                let title = y < y0 + bar;
                let line = (y - y0) > bar * 2 && ((y - y0) / (bar / 2).max(1)).is_multiple_of(3);
                let text = line && (x - x0 + seed * 7 + i as u32 * 13) % 97 > 12;
                let p = if title {
                    [60, 90 + i as u8 * 60, 160]
                } else if text {
                    [40, 40, 40]
                } else {
                    color
                };
                img.put_pixel(x, y, Rgb(p));
            }
        }
    }
    img
}
