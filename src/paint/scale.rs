//! Scaling a part of a picture into a rectangle, one plane at a time: a
//! separable bilinear (triangle) filter whose support widens with the
//! shrink factor, so that shrinking is antialiased (as Pillow and
//! `fast_image_resize` do). Weights sum exactly to one, so a flat picture
//! stays flat.
//!
//! Each output row is computed on its own: the source rows under it are
//! blended vertically into one row (only the columns the output needs),
//! which is then filtered horizontally. The result of a row therefore does
//! not depend on which rows are computed, and painting a frame in bands on
//! several threads gives the same pixels as one pass.
//!
//! Both passes weigh bytes with 8-bit fixed-point weights (which sum to
//! 256) in 16-bit lanes: a sum never exceeds 255 * 256, so it never
//! overflows, and compilers vectorize it eight or sixteen lanes to a
//! register. Each pass rounds to a byte, so a pixel is at most about one
//! level away from the exact filter. The vertical pass does most of the
//! work (it reads every source pixel under the output), a block of columns
//! at a time with every tap's row.
//!
//! Shrinking by 2 or more first averages the source over blocks of 2^n
//! pixels, so that the filter itself always shrinks by less than 2: it
//! reads a quarter of the pixels (or less) with half the taps.
//!
//! Weights are cached by geometry, so repeating a frame allocates nothing.

use std::collections::HashMap;
use std::ops::Range;

/// Fixed-point precision of the weights.
const BITS: u32 = 8;
/// Weights of one output pixel are padded to a multiple of this many taps,
/// so that the horizontal dot product has a fixed shape.
const LANES: usize = 4;
/// Cached geometries beyond which the cache starts over (a source whose
/// size changes every frame must not grow it without bound).
const MAX_CACHED: usize = 1024;

/// A part of a source plane, in its pixels (fractions allowed: a chroma
/// plane's crop is half the luma crop).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Crop {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) width: f64,
    pub(crate) height: f64,
}

/// The weights of one axis: for each output pixel, the first source pixel
/// and `taps` weights (the trailing ones zero).
#[derive(Debug)]
struct Axis {
    first: Vec<u32>,
    weights: Vec<u16>,
    taps: usize,
    /// The source pixels any output reads: `lo..hi`.
    lo: u32,
    hi: u32,
}

impl Axis {
    /// Weights in `bits`-bit fixed point for `out` pixels from
    /// `start..start + len` of a source side of `size` pixels.
    fn new(size: u32, start: f64, len: f64, out: u32, bits: u32) -> Axis {
        let one = 1i32 << bits;
        let scale = len / f64::from(out);
        let filter_scale = scale.max(1.0);
        let support = filter_scale;
        let spans: Vec<(u32, u32)> = (0..out)
            .map(|o| {
                let center = start + (f64::from(o) + 0.5) * scale;
                let lo = ((center - support + 0.5).floor().max(0.0) as u32).min(size - 1);
                let hi = ((center + support + 0.5).floor() as u32).clamp(lo + 1, size);
                (lo, hi)
            })
            .collect();
        let widest = spans.iter().map(|(lo, hi)| hi - lo).max().unwrap_or(1) as usize;
        let taps = widest.div_ceil(LANES) * LANES;
        let mut first = Vec::with_capacity(out as usize);
        let mut weights = vec![0u16; taps * out as usize];
        let mut raw = vec![0f64; widest];
        for (o, &(lo, hi)) in spans.iter().enumerate() {
            let center = start + (o as f64 + 0.5) * scale;
            let mut sum = 0.0;
            for (k, x) in (lo..hi).enumerate() {
                let t = ((f64::from(x) + 0.5 - center) / filter_scale).abs();
                raw[k] = (1.0 - t).max(0.0);
                sum += raw[k];
            }
            let n = (hi - lo) as usize;
            let row = &mut weights[o * taps..o * taps + n];
            if sum <= 0.0 {
                // The nearest source pixel alone.
                let nearest = ((center.floor().max(0.0) as u32).clamp(lo, hi - 1) - lo) as usize;
                row[nearest] = one as u16;
            } else {
                let mut total = 0;
                let mut largest = 0;
                for k in 0..n {
                    row[k] = (raw[k] / sum * f64::from(one)).round() as u16;
                    total += i32::from(row[k]);
                    if row[k] > row[largest] {
                        largest = k;
                    }
                }
                // The rounding error goes to the largest weight: the weights
                // sum exactly to one.
                row[largest] = (i32::from(row[largest]) + one - total) as u16;
            }
            first.push(lo);
        }
        let lo = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let hi = spans.iter().map(|s| s.1).max().unwrap_or(1);
        Axis {
            first,
            weights,
            taps,
            lo,
            hi,
        }
    }

    #[inline]
    fn of(&self, o: usize) -> (usize, &[u16]) {
        (
            self.first[o] as usize,
            &self.weights[o * self.taps..(o + 1) * self.taps],
        )
    }
}

/// What the weights of an axis depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct AxisKey {
    size: u32,
    start: u64,
    len: u64,
    out: u32,
    bits: u32,
}

/// A scaler with its cached weights and row buffers, reused from tile to
/// tile and frame to frame.
#[derive(Debug, Default)]
pub(crate) struct Scaler {
    axes: HashMap<AxisKey, Axis>,
    /// The part of a source that a large shrink needs, averaged down by
    /// powers of two.
    small: Vec<u8>,
    sums: Vec<u16>,
    /// One output row's source rows blended vertically, as wide as the
    /// columns needed, padded for the last taps.
    mid: Vec<u8>,
    /// The vertical taps of one output row: where each source row starts,
    /// and its weight.
    rows: Vec<(usize, u16)>,
}

/// Columns the vertical pass sums in registers at a time.
const BLOCK: usize = 64;

/// A source plane: `width` pixels of `N` bytes a row, rows `stride` apart.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Source<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) stride: usize,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// A part of a plane: `data` starts at column `x0` of row `y0`.
#[derive(Clone, Copy, Debug)]
struct Part<'a> {
    data: &'a [u8],
    stride: usize,
    width: u32,
    height: u32,
    x0: usize,
    y0: usize,
}

/// Where the output goes: rows of `N`-byte pixels, `stride` apart; row
/// `y` of the output rectangle (from `rows.start`) starts at
/// `offset + (y - rows.start) * stride`.
pub(crate) struct Target<'a> {
    pub(crate) data: &'a mut [u8],
    pub(crate) stride: usize,
    /// Output width and height.
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// The output rows to compute, within `0..height`.
    pub(crate) rows: std::ops::Range<u32>,
}

impl Scaler {
    fn axis(&mut self, size: u32, start: f64, len: f64, out: u32, bits: u32) -> AxisKey {
        let key = AxisKey {
            size,
            start: start.to_bits(),
            len: len.to_bits(),
            out,
            bits,
        };
        if !self.axes.contains_key(&key) {
            if self.axes.len() >= MAX_CACHED {
                self.axes.clear();
            }
            self.axes
                .insert(key, Axis::new(size, start, len, out, bits));
        }
        key
    }

    /// Scales `crop` of `src` into the target, `N` bytes a pixel.
    pub(crate) fn scale<const N: usize>(&mut self, src: Source<'_>, crop: Crop, dst: Target<'_>) {
        if dst.width == 0 || dst.height == 0 || src.width == 0 || src.height == 0 {
            return;
        }
        if let Some((x, y)) = identity(crop, &dst) {
            // The same size at whole pixels: a copy.
            for out_y in dst.rows.clone() {
                let from = (y + out_y as usize) * src.stride + x * N;
                let to = (out_y - dst.rows.start) as usize * dst.stride;
                let len = dst.width as usize * N;
                dst.data[to..to + len].copy_from_slice(&src.data[from..from + len]);
            }
            return;
        }
        // Shrinking by 2 or more: the source is first averaged over blocks
        // of 2^n pixels, so that the filter that follows shrinks by less
        // than 2 and reads a fraction of the pixels.
        let (dx, dy) = (
            halvings(crop.width, dst.width),
            halvings(crop.height, dst.height),
        );
        if dx == 0 && dy == 0 {
            let whole = Part {
                data: src.data,
                stride: src.stride,
                width: src.width,
                height: src.height,
                x0: 0,
                y0: 0,
            };
            return self.filter::<N>(whole, crop, dst);
        }
        let (fx, fy) = (f64::from(1u32 << dx), f64::from(1u32 << dy));
        let (width, height) = (src.width.div_ceil(1 << dx), src.height.div_ceil(1 << dy));
        let crop = Crop {
            x: crop.x / fx,
            y: crop.y / fy,
            width: crop.width / fx,
            height: crop.height / fy,
        };
        // The blocks the filter reads for these rows, computed on the whole
        // averaged plane so that every band reads the same values.
        let hk = self.axis(width, crop.x, crop.width, dst.width, BITS);
        let vk = self.axis(height, crop.y, crop.height, dst.height, BITS);
        let (h, v) = (&self.axes[&hk], &self.axes[&vk]);
        let cols = h.lo..h.hi;
        let (first, _) = v.of(dst.rows.start as usize);
        let (last, _) = v.of(dst.rows.end as usize - 1);
        let rows = first as u32..(last + v.taps).min(height as usize) as u32;
        let mut small = std::mem::take(&mut self.small);
        average::<N>(
            src,
            (dx, dy),
            cols.clone(),
            rows.clone(),
            (&mut small, &mut self.sums),
        );
        let part = Part {
            data: &small,
            stride: cols.len() * N,
            width,
            height,
            x0: cols.start as usize,
            y0: rows.start as usize,
        };
        self.filter::<N>(part, crop, dst);
        self.small = small;
    }

    /// The bilinear filter proper, from a part of a plane.
    fn filter<const N: usize>(&mut self, src: Part<'_>, crop: Crop, dst: Target<'_>) {
        let hk = self.axis(src.width, crop.x, crop.width, dst.width, BITS);
        let vk = self.axis(src.height, crop.y, crop.height, dst.height, BITS);
        let (h, v) = (&self.axes[&hk], &self.axes[&vk]);
        let (lo, hi) = (h.lo as usize, h.hi as usize);
        let width = (hi - lo) * N;
        // Zeros past the needed columns, where padded taps of weight 0 read.
        self.mid.clear();
        self.mid.resize(width + h.taps * N, 0);
        for y in dst.rows.clone() {
            let (top, vw) = v.of(y as usize);
            self.rows.clear();
            self.rows.extend(
                vw.iter()
                    .enumerate()
                    .filter(|(_, w)| **w != 0)
                    .map(|(k, &w)| {
                        let row = (top + k - src.y0) * src.stride;
                        (row + (lo - src.x0) * N, w)
                    }),
            );
            vertical(src.data, &self.rows, &mut self.mid[..width]);
            let out_row = (y - dst.rows.start) as usize * dst.stride;
            let out = &mut dst.data[out_row..out_row + dst.width as usize * N];
            match h.taps {
                4 => horizontal::<N, 4>(&self.mid, h, lo, out),
                8 => horizontal::<N, 8>(&self.mid, h, lo, out),
                12 => horizontal::<N, 12>(&self.mid, h, lo, out),
                16 => horizontal::<N, 16>(&self.mid, h, lo, out),
                _ => horizontal_any::<N>(&self.mid, h, lo, out),
            }
        }
    }
}

/// How many times `from` pixels can be halved and stay at least `to`
/// (at most 8 times: blocks of 256 rows still sum in 16 bits).
fn halvings(from: f64, to: u32) -> u32 {
    let ratio = from / f64::from(to);
    if ratio >= 2.0 {
        (ratio.log2().floor() as u32).min(8)
    } else {
        0
    }
}

/// Averages blocks of `2^dx` x `2^dy` pixels of `src` (edge pixels repeated
/// where a block passes the edge) into `out`: the blocks of columns `cols`
/// and rows `rows`, row after row. Each output row sums its source rows
/// first (in 16-bit lanes), then each block's columns.
fn average<const N: usize>(
    src: Source<'_>,
    (dx, dy): (u32, u32),
    cols: Range<u32>,
    rows: Range<u32>,
    (out, sums): (&mut Vec<u8>, &mut Vec<u16>),
) {
    out.clear();
    out.resize(cols.len() * rows.len() * N, 0);
    let (bw, bh) = (1usize << dx, 1usize << dy);
    let half = 1u32 << (dx + dy) >> 1;
    // Source columns of the blocks, and those of them inside the plane.
    let (x0, x1) = (cols.start as usize * bw, cols.end as usize * bw);
    let inside = x1.min(src.width as usize);
    sums.clear();
    sums.resize((x1 - x0) * N, 0);
    for (j, line) in rows.zip(out.chunks_exact_mut(cols.len() * N)) {
        let top = j as usize * bh;
        if (dx, dy) == (1, 1) && inside == x1 && top + 1 < src.height as usize {
            // The common case, blocks of 2 x 2 inside the plane, in one pass.
            let row = |y: usize| &src.data[y * src.stride + x0 * N..y * src.stride + x1 * N];
            halve::<N>(row(top), row(top + 1), line);
            continue;
        }
        sums.fill(0);
        for r in 0..bh {
            let y = (top + r).min(src.height as usize - 1);
            let row = &src.data[y * src.stride + x0 * N..y * src.stride + inside * N];
            for (s, &p) in sums.iter_mut().zip(row) {
                *s += u16::from(p);
            }
            // Past the right edge, the last pixel again.
            let last = &src.data[y * src.stride + (src.width as usize - 1) * N..][..N];
            for x in inside..x1 {
                for c in 0..N {
                    sums[(x - x0) * N + c] += u16::from(last[c]);
                }
            }
        }
        match bw {
            1 => columns::<N, 1>(sums, line, half, dx + dy),
            2 => columns::<N, 2>(sums, line, half, dx + dy),
            4 => columns::<N, 4>(sums, line, half, dx + dy),
            _ => {
                for (px, block) in line.chunks_exact_mut(N).zip(sums.chunks_exact(bw * N)) {
                    let mut acc = [0u32; N];
                    for p in block.chunks_exact(N) {
                        for c in 0..N {
                            acc[c] += u32::from(p[c]);
                        }
                    }
                    for c in 0..N {
                        px[c] = ((acc[c] + half) >> (dx + dy)) as u8;
                    }
                }
            }
        }
    }
}

/// Averages blocks of 2 x 2 pixels of rows `a` and `b` into `line`, in
/// groups of 16 that compilers vectorize.
#[inline]
fn halve<const N: usize>(a: &[u8], b: &[u8], line: &mut [u8]) {
    const GROUP: usize = 16;
    let pair = |a: &[u8], b: &[u8], i: usize, c: usize| {
        let sum = u16::from(a[2 * i * N + c])
            + u16::from(a[(2 * i + 1) * N + c])
            + u16::from(b[2 * i * N + c])
            + u16::from(b[(2 * i + 1) * N + c]);
        ((sum + 2) >> 2) as u8
    };
    let groups = line.len() / (GROUP * N);
    for g in 0..groups {
        let out: &mut [u8] = &mut line[g * GROUP * N..(g + 1) * GROUP * N];
        let a = &a[2 * g * GROUP * N..2 * (g + 1) * GROUP * N];
        let b = &b[2 * g * GROUP * N..2 * (g + 1) * GROUP * N];
        for i in 0..GROUP {
            for c in 0..N {
                out[i * N + c] = pair(a, b, i, c);
            }
        }
    }
    for i in groups * GROUP..line.len() / N {
        for c in 0..N {
            line[i * N + c] = pair(a, b, i, c);
        }
    }
}

/// Sums `B` columns of `sums` a block into `line`, rounded and divided by
/// `2^shift`.
#[inline]
fn columns<const N: usize, const B: usize>(sums: &[u16], line: &mut [u8], half: u32, shift: u32) {
    for (px, block) in line.chunks_exact_mut(N).zip(sums.chunks_exact(B * N)) {
        for c in 0..N {
            let mut acc = half;
            for k in 0..B {
                acc += u32::from(block[k * N + c]);
            }
            px[c] = (acc >> shift) as u8;
        }
    }
}

/// The top-left of `crop` when it is the target's size at whole pixels.
fn identity(crop: Crop, dst: &Target<'_>) -> Option<(usize, usize)> {
    let whole = |v: f64| v.fract() == 0.0 && v >= 0.0;
    let same = crop.width == f64::from(dst.width) && crop.height == f64::from(dst.height);
    (same && whole(crop.x) && whole(crop.y)).then_some((crop.x as usize, crop.y as usize))
}

/// Sums the source rows `rows` (each's start in `data` and weight) into
/// `mid`, rounded.
#[inline(never)]
fn vertical(data: &[u8], rows: &[(usize, u16)], mid: &mut [u8]) {
    let width = mid.len();
    let blocks = width / BLOCK * BLOCK;
    for (x, out) in (0..blocks).step_by(BLOCK).zip(mid.chunks_exact_mut(BLOCK)) {
        let mut acc = [1u16 << (BITS - 1); BLOCK];
        for &(start, w) in rows {
            let line: &[u8; BLOCK] = data[start + x..start + x + BLOCK]
                .try_into()
                .expect("a block");
            for (a, &s) in acc.iter_mut().zip(line) {
                *a = a.wrapping_add(u16::from(s).wrapping_mul(w));
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o = (a >> BITS) as u8;
        }
    }
    for (x, out) in mid.iter_mut().enumerate().skip(blocks) {
        let sum = rows.iter().fold(1u16 << (BITS - 1), |a, &(start, w)| {
            a.wrapping_add(u16::from(data[start + x]).wrapping_mul(w))
        });
        *out = (sum >> BITS) as u8;
    }
}

/// Filters the mid row (which starts at source column `lo`) into `out`,
/// `T` taps an output pixel. Kept out of line: inlined into the row loop
/// it compiles to slower code.
#[inline(never)]
fn horizontal<const N: usize, const T: usize>(mid: &[u8], h: &Axis, lo: usize, out: &mut [u8]) {
    let pixels = out
        .chunks_exact_mut(N)
        .zip(&h.first)
        .zip(h.weights.chunks_exact(T));
    for ((px, &first), weights) in pixels {
        let start = (first as usize - lo) * N;
        let Some(taps) = mid.get(start..start + T * N) else {
            continue;
        };
        for c in 0..N {
            let mut sum = 1u16 << (BITS - 1);
            for k in 0..T {
                sum = sum.wrapping_add(u16::from(taps[k * N + c]).wrapping_mul(weights[k]));
            }
            px[c] = (sum >> BITS) as u8;
        }
    }
}

/// [`horizontal`] for any number of taps.
fn horizontal_any<const N: usize>(mid: &[u8], h: &Axis, lo: usize, out: &mut [u8]) {
    for (o, px) in out.chunks_exact_mut(N).enumerate() {
        let (first, weights) = h.of(o);
        let start = (first - lo) * N;
        for c in 0..N {
            let mut sum = 1u16 << (BITS - 1);
            for (k, &w) in weights.iter().enumerate() {
                sum = sum.wrapping_add(u16::from(mid[start + k * N + c]).wrapping_mul(w));
            }
            px[c] = (sum >> BITS) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale1(src: &[u8], sw: u32, sh: u32, crop: Crop, dw: u32, dh: u32) -> Vec<u8> {
        let mut out = vec![0u8; (dw * dh) as usize];
        let mut scaler = Scaler::default();
        scaler.scale::<1>(
            Source {
                data: src,
                stride: sw as usize,
                width: sw,
                height: sh,
            },
            crop,
            Target {
                data: &mut out,
                stride: dw as usize,
                width: dw,
                height: dh,
                rows: 0..dh,
            },
        );
        out
    }

    fn whole(w: u32, h: u32) -> Crop {
        Crop {
            x: 0.0,
            y: 0.0,
            width: f64::from(w),
            height: f64::from(h),
        }
    }

    #[test]
    fn a_flat_picture_stays_flat() {
        let src = vec![77u8; 1281 * 721];
        for (w, h) in [(384, 216), (900, 500), (2000, 1000), (1, 1)] {
            let out = scale1(&src, 1281, 721, whole(1281, 721), w, h);
            assert!(out.iter().all(|&p| p == 77), "{w}x{h}");
        }
    }

    #[test]
    fn halving_averages_blocks() {
        // Shrinking by 2 averages pairs of pixels (rounding half up).
        let src: Vec<u8> = vec![0, 0, 100, 101, 200, 200, 40, 40];
        assert_eq!(scale1(&src, 8, 1, whole(8, 1), 4, 1), [0, 101, 200, 40]);
        // By 4 in both directions: blocks of 4 x 4.
        let src: Vec<u8> = (0..64).map(|i| if i % 8 < 4 { 10 } else { 90 }).collect();
        assert_eq!(scale1(&src, 8, 8, whole(8, 8), 2, 2), [10, 90, 10, 90]);
    }

    #[test]
    fn shrinking_by_less_than_two_filters() {
        // 6 to 4 (1.5x): the triangle of support 1.5 around each output's
        // centre. Output 1 has its centre at 2.25: pixels 1, 2, 3 (centres
        // 1.5, 2.5, 3.5) weigh 0.5, 0.833, 0.167 of 1.5.
        let src: Vec<u8> = vec![0, 60, 120, 180, 240, 240];
        let out = scale1(&src, 6, 1, whole(6, 1), 4, 1);
        // (0.5 * 60 + 0.833 * 120 + 0.167 * 180) / 1.5 = 106.7.
        assert_eq!(out[1], 107);
    }

    #[test]
    fn same_size_is_a_copy() {
        let src: Vec<u8> = (0..64).map(|i| (i * 4) as u8).collect();
        let out = scale1(&src, 8, 8, whole(8, 8), 8, 8);
        assert_eq!(out, src);
        // A crop of the same size copies the part.
        let crop = Crop {
            x: 2.0,
            y: 3.0,
            width: 4.0,
            height: 2.0,
        };
        let out = scale1(&src, 8, 8, crop, 4, 2);
        assert_eq!(out, [&src[26..30], &src[34..38]].concat());
    }

    #[test]
    fn rows_alone_equal_the_whole() {
        let src: Vec<u8> = (0..(97 * 61)).map(|i| (i * 37 % 251) as u8).collect();
        let crop = Crop {
            x: 3.5,
            y: 1.0,
            width: 80.0,
            height: 55.0,
        };
        let all = scale1(&src, 97, 61, crop, 33, 21);
        let mut scaler = Scaler::default();
        for band in [0..7, 7..8, 8..21] {
            let mut part = vec![0u8; 33 * band.len()];
            scaler.scale::<1>(
                Source {
                    data: &src,
                    stride: 97,
                    width: 97,
                    height: 61,
                },
                crop,
                Target {
                    data: &mut part,
                    stride: 33,
                    width: 33,
                    height: 21,
                    rows: band.clone(),
                },
            );
            assert_eq!(part, all[band.start as usize * 33..band.end as usize * 33]);
        }
    }
}
